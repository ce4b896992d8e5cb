/**
 * Own data from cells: the widgets that answer the kernel's `ask.files` and
 * `ask.webcam` (a drop zone, a camera), the renderer that draws them in a
 * cell's output, and the broker that hands their answers to the kernel.
 */
export { askInputRenderer } from './ask-input-renderer.ts';
export { InputBroker, inputBrokerContext } from './input-broker.ts';
export { parseAskRequest, type AskRequest, type PayloadFile } from './ask-request.ts';
export { droppedFiles, pickedFiles, type ChosenFile } from './dropped-files.ts';
export { TailorAskFiles } from './tailor-ask-files.ts';
export { TailorAskWebcam, cameraProblem } from './tailor-ask-webcam.ts';
