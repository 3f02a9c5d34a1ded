package dev.providers.registry.publish;

import dev.providers.registry.fetch.FetchResult;
import dev.providers.registry.wheel.WheelInspection;

/** A wheel that passed step 4, and how it was fetched (for the publish's log line). */
record VerifiedWheel(WheelInspection wheel, FetchResult fetch) {}
