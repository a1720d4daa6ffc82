/**
 * The sink stage, Kafka to PostgreSQL (routes orders-sink, orders-sink-record and their error configuration): a
 * poll's records read into orders ({@link io.orderpipeline.sink.OrderRecordBatch}), copied into PostgreSQL
 * ({@link io.orderpipeline.sink.CopyInsert}), traced per order ({@link io.orderpipeline.sink.RecordTracing}),
 * committed, and the reason a record is dead-lettered ({@link io.orderpipeline.sink.DeadLetterReason}). It does not
 * know the intake.
 */
package io.orderpipeline.sink;
