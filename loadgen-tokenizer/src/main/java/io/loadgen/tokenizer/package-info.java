/**
 * tokenizer: text into token counts, at both ends of the data path. Before the first send, {@link
 * io.loadgen.tokenizer.PromptSynthesizer} makes prompts of an exact token count, with lengths drawn
 * from a {@link io.loadgen.tokenizer.TokenLengthDistribution}; after each request, the recorder
 * counts its output with the same {@link io.loadgen.tokenizer.Tokenizer}, a Hugging Face {@code
 * tokenizer.json} run by DJL on the CPU library bundled in the jar. {@link
 * io.loadgen.tokenizer.TokenizerResolver} finds that file as a Hugging Face user expects (a path,
 * the local Hub cache, or a download into it). The module has no internal package: its
 * package-private classes are its internals. The public types are listed in {@code
 * loadgen-tokenizer/api/loadgen-tokenizer.api}.
 */
package io.loadgen.tokenizer;
