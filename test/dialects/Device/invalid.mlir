// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// The yielded types must be the result types.
func.func @yield_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{result types ('tensor<4xf16>') differ from the yielded types ('tensor<4xf32>')}}
  %0 = tdev.dispatch root("elementwise") -> tensor<4xf16> {
    %1 = tg.relu %x : tensor<4xf32>
    tdev.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf16>
}

// -----

// The number of yielded values must be the number of results.
func.func @yield_count_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{result types ('tensor<4xf32>') differ from the yielded types ()}}
  %0 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
    tdev.yield
  }
  return %0 : tensor<4xf32>
}

// -----

// The body must end with tdev.yield.
func.func @wrong_terminator(%x: tensor<4xf32>) {
  // expected-error @+1 {{body must end with 'tdev.yield'}}
  "tdev.dispatch"() ({
    "llvm.unreachable"() : () -> ()
  }) {root = "elementwise"} : () -> ()
  return
}

// -----

// The body is a single block.
func.func @two_blocks(%x: tensor<4xf32>) {
  // expected-error @+1 {{region #0 ('body') failed to verify constraint: region with 1 blocks}}
  "tdev.dispatch"() ({
    "tdev.yield"() : () -> ()
  ^bb1:
    "tdev.yield"() : () -> ()
  }) {root = "elementwise"} : () -> ()
  return
}

// -----

// tdev.yield only terminates a dispatch.
func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tdev.yield' op expects parent op 'tdev.dispatch'}}
  tdev.yield %x : tensor<4xf32>
}

// -----

// The root is required.
func.func @missing_root() {
  // expected-error @+1 {{requires attribute 'root'}}
  "tdev.dispatch"() ({
    "tdev.yield"() : () -> ()
  }) : () -> ()
  return
}

// -----

// Results are tensors.
func.func @scalar_result(%x: f32) -> f32 {
  // expected-error @+1 {{result #0 must be variadic of ranked tensor of any type values}}
  %0 = "tdev.dispatch"() ({
    "tdev.yield"(%x) : (f32) -> ()
  }) {root = "elementwise"} : () -> f32
  return %0 : f32
}

// -----

// A target names one of the known device kinds.
// expected-error @+1 {{unknown device kind 'tpu'; expected cpu, vulkan, cuda or fpga}}
func.func @unknown_kind() attributes {t = #tdev.target<"tpu">} {
  return
}

// -----

// A transfer goes between two different devices.
func.func @transfer_to_itself(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{source and destination are the same device (#tdev.target<"cpu">)}}
  %0 = tdev.transfer %x : tensor<4xf32> from #tdev.target<"cpu"> to #tdev.target<"cpu">
  return %0 : tensor<4xf32>
}

// -----

// The ends of a transfer are #tdev.target attributes.
func.func @transfer_bad_end(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected a #tdev.target attribute, got "cpu"}}
  %0 = tdev.transfer %x : tensor<4xf32> from "cpu" to #tdev.target<"cpu">
  return %0 : tensor<4xf32>
}
