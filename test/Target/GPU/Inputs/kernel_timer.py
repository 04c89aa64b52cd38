"""Drives the kernel timer (scripts/cuda_kernel_timer.c) the way the runtime
and gpu_check.py do: three launches through its cuLaunchKernel, then
tessera_kernel_times. With Inputs/fake_libcuda.c as libcuda.so.1 each launch
takes "1 ms"."""
import ctypes
import sys

timer = ctypes.CDLL(sys.argv[1])
for _ in range(3):
    print("launch", timer.cuLaunchKernel(None, 1, 1, 1, 32, 1, 1, 0, None, None, None))
times = (ctypes.c_float * 8)()
timer.tessera_kernel_times.argtypes = [ctypes.POINTER(ctypes.c_float), ctypes.c_int]
count = timer.tessera_kernel_times(times, 8)
print("kernels", count, "ms", list(times[:count]))
print("again", timer.tessera_kernel_times(times, 8))
