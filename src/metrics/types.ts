/*
 * Every label of a tagwatch metric is low-cardinality by construction: stage and stream names,
 * flag kinds, delivery outcomes, Kafka partitions — never a hashtag, an author or a URL, which
 * would create one time series per value and exhaust Prometheus.
 */

/** Delivery outcome of one webhook attempt (`WebhookDelivery.status`). */
export type WebhookOutcome = 'delivered' | 'retry' | 'dead';

/** A function sampled at scrape time, e.g. `() => pipeline.depth()` (stream name → records waiting). */
export type DepthSource = () => Readonly<Record<string, number>>;
