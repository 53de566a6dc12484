""" "Has this been checked before?": the existing claims most like a text (`similarity`)."""
