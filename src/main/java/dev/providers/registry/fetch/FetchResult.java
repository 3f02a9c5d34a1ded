package dev.providers.registry.fetch;

/** What a finished fetch saw: the byte count, the URL that answered (after redirects) and the address used. */
public record FetchResult(long bytes, String finalUrl, String address, int redirects) {}
