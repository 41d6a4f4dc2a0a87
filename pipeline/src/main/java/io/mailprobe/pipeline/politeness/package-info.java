/** Politeness towards mail servers: per-host session concurrency and rate limits. */
package io.mailprobe.pipeline.politeness;
