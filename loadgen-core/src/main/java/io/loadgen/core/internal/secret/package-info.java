/**
 * Secrets: the API key, header values and Hugging Face token a run holds, and the scrubbing of them
 * out of every text a server sends back before it is printed, logged or exported.
 */
package io.loadgen.core.internal.secret;
