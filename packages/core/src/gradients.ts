// Side effect: registers tfjs-core's gradient functions (tfjs-core alone registers none in Node).
// "#tfjs-gradients" is mapped in package.json: tfjs's own ESM file in browsers, a vendored bundle
// elsewhere (see scripts/vendor-gradients.mjs for why).
import '#tfjs-gradients';
