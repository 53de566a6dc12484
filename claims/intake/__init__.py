"""Taking sources in: capturing a source's text (`capture`) behind the address guard (`net`), anchoring
quotes and excerpts into a snapshot (`anchoring`, `services`), quotes in context for readers (`quotes`),
and evidence attachments (`evidence_files`, `evidence_storage`, `validators`)."""
