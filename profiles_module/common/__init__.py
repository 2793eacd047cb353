"""What several features share and that knows nothing of the models: validators, fields,
profile paths, rate limits, HTML escaping, Leaflet, the default site."""
