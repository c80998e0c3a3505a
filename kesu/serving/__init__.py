"""How Kesu is served: the production server (`kesu serve`), the Chinese error pages and API error answers."""
