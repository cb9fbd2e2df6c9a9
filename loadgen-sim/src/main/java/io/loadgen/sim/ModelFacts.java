package io.loadgen.sim;

/**
 * Public facts of a model that decide its memory: weights, and KV-cache bytes per token.
 *
 * @param name the Hugging Face name, for documentation
 * @param parameters weights, counted one by one
 * @param layers transformer layers
 * @param kvHeads key/value heads (grouped-query attention shares them across query heads)
 * @param headDim dimension of one head
 * @param dtypeBytes bytes per weight and per cached value (2 for bf16/fp16)
 */
public record ModelFacts(
    String name, long parameters, int layers, int kvHeads, int headDim, int dtypeBytes) {

  /** Bytes of weights: parameters x dtype bytes. */
  public long weightBytes() {
    return parameters * dtypeBytes;
  }

  /** KV-cache bytes per token: 2 (key and value) x layers x KV heads x head dim x dtype bytes. */
  public long kvBytesPerToken() {
    return 2L * layers * kvHeads * headDim * dtypeBytes;
  }
}
