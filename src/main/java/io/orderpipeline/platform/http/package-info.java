/**
 * What guards every request of both HTTP servers before a route sees it (connections, framing, the starting gate, the
 * in-flight cap) and the one JSON error body every error answer has ({@link io.orderpipeline.platform.http.ErrorBody}).
 */
package io.orderpipeline.platform.http;
