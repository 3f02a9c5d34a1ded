package dev.providers.registry.persistence;

import java.util.List;

/** A validated {@code GET /providers} query. */
public record ProviderQuery(String q, String scope, List<String> tags, int limit, long offset) {}
