"""Authentication strategies, one per Qlik deployment flow, each producing a SessionGrant."""
