"""The public, read-only site: views, forms, the Atom feed, the DataFeed and sitemap, page numbers,
the rendered-page cache and the related-claims timeline."""
