// The engine's one export list: every public name, grouped from the scalar to the whole loop.
export { Value, describe, type Trace, type TraceNode } from "./value.ts";
export { Tensor, type TensorOptions } from "./tensor.ts";
export { Neuron, Layer, ValueMLP, type ValueNetOptions } from "./neuron.ts";
export { Dense, MLP, type DenseOptions, type MLPOptions } from "./mlp.ts";
export {
  activations,
  softmax,
  type Activation,
  type ActivationName,
  type LayerActivation,
} from "./activations.ts";
export {
  mse,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  softmaxCrossEntropy,
  type LossName,
  type Target,
} from "./losses.ts";
export {
  SGD,
  Momentum,
  Adam,
  type Optimizer,
  type OptimizerName,
  type OptimizerOptions,
  type MomentumOptions,
  type AdamOptions,
} from "./optim.ts";
export { Perceptron, type PerceptronOptions, type PerceptronFit } from "./perceptron.ts";
export {
  train,
  accuracy,
  type TrainOptions,
  type TrainResult,
  type TrainData,
  type Progress,
  type EpochRecord,
} from "./train.ts";
export { datasets, type Dataset, type CloudOptions } from "./datasets/index.ts";
export {
  loadDigits,
  setDigitsUrl,
  type Digits,
  type DigitSet,
  type LoadDigitsOptions,
} from "./datasets/digits.ts";
export { rng, type Rng } from "./rng.ts";
export { setBackend, getBackend, backendProblem, type Backend } from "./backend.ts";
export { gradcheck, type GradcheckOptions, type GradcheckResult } from "./gradcheck.ts";
