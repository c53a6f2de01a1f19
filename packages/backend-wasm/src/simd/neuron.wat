;; snn's fused neuron kernels (SnnNeuronForward / SnnNeuronBackward) in WebAssembly SIMD, for the
;; common configurations: charge `if` or `lif` with a scalar tau, no adaptive threshold, hard or
;; soft reset, and (backward) the named surrogates sigmoid and atan. The same loop order as
;; core's neuron-loops.ts: neurons in blocks of 2048, all T steps of a block before the next,
;; four neurons per f32x4 vector, the last 1-3 neurons of a row through lane loads and stores.
;;
;; The memory is imported: the wasm backend passes tfjs-wasm's own WebAssembly.Memory, so the
;; kernels read and write tensors in place (pointers are byte offsets of float32 arrays).
;;
;; It also holds the fused Adam update (SnnAdamUpdate), four parameters per vector.
;;
;; Assembled by `wabt` (npm) with `node scripts/build-simd.mjs`, which writes the base64 module
;; to src/simd/neuron-wasm.ts; a test checks that file against a fresh assembly of this one.
(module
  (import "env" "memory" (memory 1))

  ;; The first `c` (1..3) float32s at address `a`, zeros in the other lanes.
  (func $loadPart (param $a i32) (param $c i32) (result v128)
    (local $r v128)
    (local.set $r (v128.load32_lane 0 (local.get $a) (v128.const i32x4 0 0 0 0)))
    (if (i32.gt_u (local.get $c) (i32.const 1))
      (then (local.set $r (v128.load32_lane offset=4 1 (local.get $a) (local.get $r)))))
    (if (i32.gt_u (local.get $c) (i32.const 2))
      (then (local.set $r (v128.load32_lane offset=8 2 (local.get $a) (local.get $r)))))
    (local.get $r))

  ;; Stores the first `c` (1..3) lanes of `v` at address `a`.
  (func $storePart (param $a i32) (param $v v128) (param $c i32)
    (v128.store32_lane 0 (local.get $a) (local.get $v))
    (if (i32.gt_u (local.get $c) (i32.const 1))
      (then (v128.store32_lane offset=4 1 (local.get $a) (local.get $v))))
    (if (i32.gt_u (local.get $c) (i32.const 2))
      (then (v128.store32_lane offset=8 2 (local.get $a) (local.get $v)))))

  ;; Forward. `mode`: 0 if (H = V + X), 1 lif decayInput (H = V + (X - V)/tau),
  ;; 2 lif decayInput with r != 0 (H = V + (X - (V - r))/tau), 3 lif (H = V*leak + X),
  ;; 4 lif with r != 0 (H = V - (V - r)/tau + X). As in core's neuron-loops.ts the charge is
  ;; computed in float64 (r too) and rounded to float32 once, and (soft reset) `H - vth` in
  ;; float64; `thr` is the smallest float32 >= vth, so `H >= thr` in float32 is `H >= vth`.
  ;; With `f32` the charge is float32 operation by operation instead (SpikingJelly's order, as
  ;; core's tfjs-ops reference computes it): within an ulp of the above, and faster.
  ;; `v` holds T rows when `keep`, else one (the state, updated in place); `h` is written
  ;; when `saveH`.
  (func (export "forward")
    (param $mode i32) (param $soft i32) (param $keep i32) (param $saveH i32)
    (param $f32 i32) (param $T i32) (param $n i32)
    (param $x i32) (param $v0 i32) (param $s i32) (param $v i32) (param $h i32)
    (param $tau f32) (param $leak f32) (param $thr f32) (param $vth f64) (param $r f64)
    (local $c0 i32) (local $c1 i32) (local $t i32) (local $i i32) (local $cnt i32)
    (local $row i32) (local $vin i32) (local $vout i32) (local $o i32) (local $nb i32)
    (local $xv v128) (local $vv v128) (local $hv v128) (local $m v128) (local $sv v128)
    (local $nv v128) (local $d v128)
    (local $xl v128) (local $xh v128) (local $vl v128) (local $vh v128) (local $hl v128) (local $hh v128)
    (local $P v128) (local $L v128) (local $PD v128) (local $LD v128) (local $TH v128) (local $ONE v128) (local $R32 v128)
    (local $R64 v128) (local $VTH64 v128)
    (local.set $P (f32x4.splat (local.get $tau)))
    (local.set $L (f32x4.splat (local.get $leak)))
    (local.set $PD (f64x2.splat (f64.promote_f32 (local.get $tau))))
    (local.set $LD (f64x2.splat (f64.promote_f32 (local.get $leak))))
    (local.set $TH (f32x4.splat (local.get $thr)))
    (local.set $ONE (f32x4.splat (f32.const 1)))
    (local.set $R32 (f32x4.splat (f32.demote_f64 (local.get $r))))
    (local.set $R64 (f64x2.splat (local.get $r)))
    (local.set $VTH64 (f64x2.splat (local.get $vth)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (block $chunksDone
      (loop $chunks
        (br_if $chunksDone (i32.ge_u (local.get $c0) (local.get $n)))
        (local.set $c1 (i32.add (local.get $c0) (i32.const 2048)))
        (if (i32.gt_u (local.get $c1) (local.get $n)) (then (local.set $c1 (local.get $n))))
        (local.set $t (i32.const 0))
        (loop $steps
          (local.set $row (i32.mul (local.get $t) (local.get $nb)))
          (local.set $vin
            (if (result i32) (i32.eqz (local.get $t))
              (then (local.get $v0))
              (else (if (result i32) (local.get $keep)
                (then (i32.sub (i32.add (local.get $v) (local.get $row)) (local.get $nb)))
                (else (local.get $v))))))
          (local.set $vout
            (if (result i32) (local.get $keep)
              (then (i32.add (local.get $v) (local.get $row)))
              (else (local.get $v))))
          (local.set $i (local.get $c0))
          (loop $neurons
            (local.set $o (i32.shl (local.get $i) (i32.const 2)))
            (local.set $cnt (i32.sub (local.get $c1) (local.get $i)))
            (if (i32.ge_u (local.get $cnt) (i32.const 4))
              (then
                (local.set $xv (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $o))))
                (local.set $vv (v128.load (i32.add (local.get $vin) (local.get $o)))))
              (else
                (local.set $xv (call $loadPart (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $o)) (local.get $cnt)))
                (local.set $vv (call $loadPart (i32.add (local.get $vin) (local.get $o)) (local.get $cnt)))))
            (if (local.get $f32)
              (then
            ;; charge in float32, operation by operation (SpikingJelly's order, as core's tfjs-ops
            ;; reference); `V - r` in float64 rounded to float32 (r is a float64 attribute)
            (block $charged32
              (block $n4
                (block $n3
                  (block $n2
                    (block $n1
                      (block $n0
                        (br_table $n0 $n1 $n2 $n3 $n4 (local.get $mode)))
                      (local.set $hv (f32x4.add (local.get $vv) (local.get $xv)))
                      (br $charged32))
                    (local.set $hv (f32x4.add (local.get $vv)
                      (f32x4.div (f32x4.sub (local.get $xv) (local.get $vv)) (local.get $P))))
                    (br $charged32))
                  (local.set $d (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                    (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vv)) (local.get $R64)))
                    (f32x4.demote_f64x2_zero (f64x2.sub
                      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $vv) (local.get $vv)))
                      (local.get $R64)))))
                  (local.set $hv (f32x4.add (local.get $vv)
                    (f32x4.div (f32x4.sub (local.get $xv) (local.get $d)) (local.get $P))))
                  (br $charged32))
                (local.set $hv (f32x4.add (f32x4.mul (local.get $vv) (local.get $L)) (local.get $xv)))
                (br $charged32))
              (local.set $d (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vv)) (local.get $R64)))
                (f32x4.demote_f64x2_zero (f64x2.sub
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $vv) (local.get $vv)))
                  (local.get $R64)))))
              (local.set $hv (f32x4.add
                (f32x4.sub (local.get $vv) (f32x4.div (local.get $d) (local.get $P)))
                (local.get $xv))))
              )
              (else
            ;; charge: as neuron-loops.ts, in float64 (two f64x2 halves), rounded to float32 once
            (if (i32.eqz (local.get $mode))
              (then (local.set $hv (f32x4.add (local.get $vv) (local.get $xv))))
              (else
                (local.set $xl (f64x2.promote_low_f32x4 (local.get $xv)))
                (local.set $xh (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $xv) (local.get $xv))))
                (local.set $vl (f64x2.promote_low_f32x4 (local.get $vv)))
                (local.set $vh (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $vv) (local.get $vv))))
                (block $charged
                  (block $m4
                    (block $m3
                      (block $m2
                        (block $m1
                          (br_table $m1 $m1 $m2 $m3 $m4 (local.get $mode)))
                        ;; 1: lif, decayInput, r = 0: v + (x - v) / tau
                        (local.set $hl (f64x2.add (local.get $vl)
                          (f64x2.div (f64x2.sub (local.get $xl) (local.get $vl)) (local.get $PD))))
                        (local.set $hh (f64x2.add (local.get $vh)
                          (f64x2.div (f64x2.sub (local.get $xh) (local.get $vh)) (local.get $PD))))
                        (br $charged))
                      ;; 2: lif, decayInput, r != 0: v + (x - (v - r)) / tau
                      (local.set $hl (f64x2.add (local.get $vl)
                        (f64x2.div (f64x2.sub (local.get $xl) (f64x2.sub (local.get $vl) (local.get $R64))) (local.get $PD))))
                      (local.set $hh (f64x2.add (local.get $vh)
                        (f64x2.div (f64x2.sub (local.get $xh) (f64x2.sub (local.get $vh) (local.get $R64))) (local.get $PD))))
                      (br $charged))
                    ;; 3: lif, r = 0: v * leak + x
                    (local.set $hl (f64x2.add (f64x2.mul (local.get $vl) (local.get $LD)) (local.get $xl)))
                    (local.set $hh (f64x2.add (f64x2.mul (local.get $vh) (local.get $LD)) (local.get $xh)))
                    (br $charged))
                  ;; 4: lif, r != 0: v - (v - r) / tau + x
                  (local.set $hl (f64x2.add
                    (f64x2.sub (local.get $vl) (f64x2.div (f64x2.sub (local.get $vl) (local.get $R64)) (local.get $PD)))
                    (local.get $xl)))
                  (local.set $hh (f64x2.add
                    (f64x2.sub (local.get $vh) (f64x2.div (f64x2.sub (local.get $vh) (local.get $R64)) (local.get $PD)))
                    (local.get $xh))))
                (local.set $hv (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (f32x4.demote_f64x2_zero (local.get $hl)) (f32x4.demote_f64x2_zero (local.get $hh))))))
              ))
            ;; fire
            (local.set $m (f32x4.ge (local.get $hv) (local.get $TH)))
            (local.set $sv (v128.and (local.get $m) (local.get $ONE)))
            ;; reset
            (if (local.get $soft)
              (then
                (local.set $d (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.promote_low_f32x4 (local.get $hv)) (local.get $VTH64)))
                  (f32x4.demote_f64x2_zero (f64x2.sub
                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $hv) (local.get $hv)))
                    (local.get $VTH64)))))
                (local.set $nv (v128.bitselect (local.get $d) (local.get $hv) (local.get $m))))
              (else
                (local.set $nv (f32x4.add
                  (f32x4.mul (local.get $hv) (f32x4.sub (local.get $ONE) (local.get $sv)))
                  (f32x4.mul (local.get $R32) (local.get $sv))))))
            (if (i32.ge_u (local.get $cnt) (i32.const 4))
              (then
                (v128.store (i32.add (i32.add (local.get $s) (local.get $row)) (local.get $o)) (local.get $sv))
                (v128.store (i32.add (local.get $vout) (local.get $o)) (local.get $nv))
                (if (local.get $saveH)
                  (then (v128.store (i32.add (i32.add (local.get $h) (local.get $row)) (local.get $o)) (local.get $hv)))))
              (else
                (call $storePart (i32.add (i32.add (local.get $s) (local.get $row)) (local.get $o)) (local.get $sv) (local.get $cnt))
                (call $storePart (i32.add (local.get $vout) (local.get $o)) (local.get $nv) (local.get $cnt))
                (if (local.get $saveH)
                  (then (call $storePart (i32.add (i32.add (local.get $h) (local.get $row)) (local.get $o)) (local.get $hv) (local.get $cnt))))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br_if $neurons (i32.lt_u (local.get $i) (local.get $c1))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $steps (i32.lt_u (local.get $t) (local.get $T))))
        (local.set $c0 (local.get $c1))
        (br $chunks))))

  ;; Backward through time of the forward above, with the surrogate computed inside (`sigmoid`
  ;; 1: alpha*e*(1 - e), e = 1/(1 + exp(-alpha*z)); 0: atan, (alpha/2)/(1 + (pi/2*alpha*z)^2)),
  ;; z = H - vth. `gv0` (zeroed by the caller) carries dL/dV from step t to step t - 1 and ends
  ;; as gradV0. `gvAll`: gradVSeq has T rows, else one (the last step's).
  (func (export "backward")
    (param $sigmoid i32) (param $soft i32) (param $detach i32) (param $gvAll i32)
    (param $T i32) (param $n i32)
    (param $gs i32) (param $gv i32) (param $h i32) (param $s i32) (param $gx i32) (param $gv0 i32)
    (param $alpha f32) (param $atanScale f32) (param $vth f32) (param $r f32)
    (param $dHdV f32) (param $dHdX f32)
    (local $c0 i32) (local $c1 i32) (local $t i32) (local $i i32) (local $cnt i32)
    (local $row i32) (local $o i32) (local $nb i32) (local $gvRow i32) (local $full i32)
    (local $hv v128) (local $sv v128) (local $gsv v128) (local $gV v128) (local $g v128)
    (local $z v128) (local $y v128) (local $k v128) (local $p v128) (local $e v128)
    (local $dVdS v128) (local $gH v128)
    (local $ALPHA v128) (local $NALPHA v128) (local $HALFALPHA v128) (local $ATAN v128)
    (local $VTH v128) (local $NVTH v128) (local $R v128) (local $ONE v128)
    (local $DHDV v128) (local $DHDX v128)
    (local.set $ALPHA (f32x4.splat (local.get $alpha)))
    (local.set $NALPHA (f32x4.splat (f32.neg (local.get $alpha))))
    (local.set $HALFALPHA (f32x4.splat (f32.mul (local.get $alpha) (f32.const 0.5))))
    (local.set $ATAN (f32x4.splat (local.get $atanScale)))
    (local.set $VTH (f32x4.splat (local.get $vth)))
    (local.set $NVTH (f32x4.splat (f32.neg (local.get $vth))))
    (local.set $R (f32x4.splat (local.get $r)))
    (local.set $ONE (f32x4.splat (f32.const 1)))
    (local.set $DHDV (f32x4.splat (local.get $dHdV)))
    (local.set $DHDX (f32x4.splat (local.get $dHdX)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (block $chunksDone
      (loop $chunks
        (br_if $chunksDone (i32.ge_u (local.get $c0) (local.get $n)))
        (local.set $c1 (i32.add (local.get $c0) (i32.const 2048)))
        (if (i32.gt_u (local.get $c1) (local.get $n)) (then (local.set $c1 (local.get $n))))
        (local.set $t (local.get $T))
        (loop $steps
          (local.set $t (i32.sub (local.get $t) (i32.const 1)))
          (local.set $row (i32.mul (local.get $t) (local.get $nb)))
          ;; where this step's gradVSeq row is, or -1 when it has none
          (local.set $gvRow
            (if (result i32) (local.get $gvAll)
              (then (i32.add (local.get $gv) (local.get $row)))
              (else (if (result i32) (i32.eq (local.get $t) (i32.sub (local.get $T) (i32.const 1)))
                (then (local.get $gv))
                (else (i32.const -1))))))
          (local.set $i (local.get $c0))
          (loop $neurons
            (local.set $o (i32.shl (local.get $i) (i32.const 2)))
            (local.set $cnt (i32.sub (local.get $c1) (local.get $i)))
            (local.set $full (i32.ge_u (local.get $cnt) (i32.const 4)))
            (if (local.get $full)
              (then
                (local.set $hv (v128.load (i32.add (i32.add (local.get $h) (local.get $row)) (local.get $o))))
                (local.set $sv (v128.load (i32.add (i32.add (local.get $s) (local.get $row)) (local.get $o))))
                (local.set $gsv (v128.load (i32.add (i32.add (local.get $gs) (local.get $row)) (local.get $o))))
                (local.set $gV (v128.load (i32.add (local.get $gv0) (local.get $o))))
                (if (i32.ne (local.get $gvRow) (i32.const -1))
                  (then (local.set $gV (f32x4.add (local.get $gV)
                    (v128.load (i32.add (local.get $gvRow) (local.get $o))))))))
              (else
                (local.set $hv (call $loadPart (i32.add (i32.add (local.get $h) (local.get $row)) (local.get $o)) (local.get $cnt)))
                (local.set $sv (call $loadPart (i32.add (i32.add (local.get $s) (local.get $row)) (local.get $o)) (local.get $cnt)))
                (local.set $gsv (call $loadPart (i32.add (i32.add (local.get $gs) (local.get $row)) (local.get $o)) (local.get $cnt)))
                (local.set $gV (call $loadPart (i32.add (local.get $gv0) (local.get $o)) (local.get $cnt)))
                (if (i32.ne (local.get $gvRow) (i32.const -1))
                  (then (local.set $gV (f32x4.add (local.get $gV)
                    (call $loadPart (i32.add (local.get $gvRow) (local.get $o)) (local.get $cnt))))))))
            (local.set $z (f32x4.sub (local.get $hv) (local.get $VTH)))
            (if (local.get $sigmoid)
              (then
                ;; exp(y), y = -alpha*z clamped to [-87, 88]: 2^k * e^r, k = floor(y*log2(e) + 1/2),
                ;; r = y - k*ln2 (in two parts), e^r by its Taylor polynomial of degree 7.
                (local.set $y (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $NALPHA) (local.get $z))
                  (v128.const f32x4 88 88 88 88)) (v128.const f32x4 -87 -87 -87 -87)))
                (local.set $k (f32x4.floor (f32x4.add
                  (f32x4.mul (local.get $y) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                  (v128.const f32x4 0.5 0.5 0.5 0.5))))
                (local.set $y (f32x4.sub
                  (f32x4.sub (local.get $y) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
                  (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
                (local.set $p (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (local.get $ONE)))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $y)) (local.get $ONE)))
                (local.set $p (f32x4.mul (local.get $p)
                  (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
                (local.set $e (f32x4.div (local.get $ONE) (f32x4.add (local.get $ONE) (local.get $p))))
                (local.set $g (f32x4.mul (f32x4.mul (local.get $ALPHA) (local.get $e)) (f32x4.sub (local.get $ONE) (local.get $e)))))
              (else
                (local.set $y (f32x4.mul (local.get $ATAN) (local.get $z)))
                (local.set $g (f32x4.div (local.get $HALFALPHA)
                  (f32x4.add (local.get $ONE) (f32x4.mul (local.get $y) (local.get $y)))))))
            ;; gH = (gS + gV*dV/dS)*g + gV*dV/dH
            (if (local.get $detach)
              (then (local.set $gH (f32x4.mul (local.get $gsv) (local.get $g))))
              (else
                (local.set $dVdS (if (result v128) (local.get $soft)
                  (then (local.get $NVTH))
                  (else (f32x4.sub (local.get $R) (local.get $hv)))))
                (local.set $gH (f32x4.mul
                  (f32x4.add (local.get $gsv) (f32x4.mul (local.get $gV) (local.get $dVdS)))
                  (local.get $g)))))
            (local.set $gH (f32x4.add (local.get $gH)
              (if (result v128) (local.get $soft)
                (then (local.get $gV))
                (else (f32x4.mul (local.get $gV) (f32x4.sub (local.get $ONE) (local.get $sv)))))))
            (if (local.get $full)
              (then
                (v128.store (i32.add (i32.add (local.get $gx) (local.get $row)) (local.get $o))
                  (f32x4.mul (local.get $gH) (local.get $DHDX)))
                (v128.store (i32.add (local.get $gv0) (local.get $o)) (f32x4.mul (local.get $gH) (local.get $DHDV))))
              (else
                (call $storePart (i32.add (i32.add (local.get $gx) (local.get $row)) (local.get $o))
                  (f32x4.mul (local.get $gH) (local.get $DHDX)) (local.get $cnt))
                (call $storePart (i32.add (local.get $gv0) (local.get $o))
                  (f32x4.mul (local.get $gH) (local.get $DHDV)) (local.get $cnt))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br_if $neurons (i32.lt_u (local.get $i) (local.get $c1))))
          (br_if $steps (i32.gt_s (local.get $t) (i32.const 0))))
        (local.set $c0 (local.get $c1))
        (br $chunks))))

  ;; Adam (SnnAdamUpdate of @snn/core), float32 operation by operation in tfjs's order:
  ;; m' = m*b1 + g*k1; v' = v*b2 + (g*g)*k2; x' = ((m'/c1) / (sqrt(v'/c2) + eps)) * nlr + x,
  ;; with k1 = 1 - b1, k2 = 1 - b2, nlr = -learningRate (float32), c1, c2 the bias corrections.
  ;; Pointers are byte offsets of `n` float32s; outputs may not alias inputs.
  (func (export "adam")
    (param $n i32) (param $x i32) (param $m i32) (param $v i32) (param $g i32)
    (param $xo i32) (param $mo i32) (param $vo i32)
    (param $b1 f32) (param $b2 f32) (param $k1 f32) (param $k2 f32)
    (param $c1 f32) (param $c2 f32) (param $eps f32) (param $nlr f32)
    (local $i i32) (local $o i32) (local $n4 i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
            (f32x4.mul (local.get $gv) (f32x4.splat (local.get $k1)))))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $k2)))))
        (v128.store (i32.add (local.get $mo) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $vo) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $xo) (local.get $o))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mv) (f32x4.splat (local.get $c1)))
                (f32x4.add
                  (f32x4.sqrt (f32x4.div (local.get $vv) (f32x4.splat (local.get $c2))))
                  (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $nlr)))
            (v128.load (i32.add (local.get $x) (local.get $o)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    ;; The last 0-3 parameters, one at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
            (f32.mul (local.get $gs) (local.get $k1))))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $k2))))
        (f32.store (i32.add (local.get $mo) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $vo) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $xo) (local.get $o))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $c1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))
              (local.get $nlr))
            (f32.load (i32.add (local.get $x) (local.get $o)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
  )
)
