/**
 * Who may call: API keys, JWTs and client certificates on the API server, the rate limit per client, and the
 * management server's Host, Origin and method checks. Start-up puts them in front of the routes.
 */
package io.orderpipeline.platform.security;
