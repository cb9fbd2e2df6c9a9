/*
 * A stand-in for the CUDA runtime (libcudart.so) that reports one GPU of compute capability 9.0
 * (an H100 or H200) under CUDA 12.2: what DJL's probe sees on a GPU node. Only the calls DJL's
 * CudaUtils makes are here. Built by BundledNativeLibraryTest; never shipped.
 */
int cudaGetDeviceCount(int *count) { *count = 1; return 0; }
int cudaRuntimeGetVersion(int *version) { *version = 12020; return 0; }
int cudaDeviceGetAttribute(int *value, int attribute, int device) {
  /* 75 and 76 are cudaDevAttrComputeCapabilityMajor and Minor. */
  *value = attribute == 75 ? 9 : 0;
  return 0;
}
int cudaSetDevice(int device) { return 0; }
int cudaGetDevice(int *device) { *device = 0; return 0; }
int cudaMemGetInfo(unsigned long long *free, unsigned long long *total) {
  *free = 1ULL << 30;
  *total = 1ULL << 36;
  return 0;
}
const char *cudaGetErrorString(int code) { return "no error"; }
