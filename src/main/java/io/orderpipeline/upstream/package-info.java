/**
 * Classes that extend or replace a Camel internal because Camel has no setting for what they do. Each names the gap
 * it fills; each goes once Camel offers the setting.
 */
package io.orderpipeline.upstream;
