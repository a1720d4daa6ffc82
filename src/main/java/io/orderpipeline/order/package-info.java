/**
 * The order model every stage shares, at the bottom: an order, its validation rules, the errors that refuse one, a
 * batch request's items, and the Idempotency-Key values. Plain Java and Jackson's annotations; no Camel, Vert.x, Kafka
 * or JDBC, and no other package of this project (ArchitectureTest).
 */
package io.orderpipeline.order;
