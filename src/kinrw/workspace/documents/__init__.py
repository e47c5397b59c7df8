"""Documents of a KI: file type checks, the storage (S3 or local disk) and reads."""
