/**
 * PostgreSQL as every stage sees it: the schema migration, the readiness check, and the one list of failures that mean
 * the database is away for a while rather than refusing what it was given.
 */
package io.orderpipeline.platform.db;
