"""File readers: one module per file type, each giving an indexer.document.DocumentModel."""
