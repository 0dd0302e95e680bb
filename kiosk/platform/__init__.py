"""The plumbing no user sees: database and unit of work, ORM types, extensions, configuration,
security headers, errors, routing, languages, time zone, money, downloads, spreadsheets, TLS."""
