;; PermutedT's pair scan (permuted-t.ts, scanSignFlipPair) in WebAssembly with 128-bit SIMD: one
;; one-sided sign flip and its mirror over the float64 sums, the Gray code's pending subject fused in.
;; Every voxel's arithmetic is the JavaScript's, operation for operation, in float64 (WebAssembly
;; neither fuses a multiply-add nor reorders), so the sums, the float32 t of each supra-threshold
;; voxel and both maxima are the same bits. Four voxels at a time are preselected by the product
;; tests with the bounds as they stood before the four; each lane that passes is decided by $visit in
;; voxel order, exactly as the scalar loop does: a bound only rises, so a lane that failed the older
;; bound fails the newer one too.
;;
;; Memory (laid out by pair-scan.ts): sums (float64, m), sum of squares (float64, m), the subjects'
;; values (float32, m each), then p's supra-threshold voxels (int32, m) and their t (float32, m), and
;; the mirror's likewise. Rebuild the bytes with `node scripts/build-wasm.mjs`.
(module
  ;; The memory is made by pair-scan.ts at its full size: growing one detaches its old buffer, and a
  ;; detached buffer anywhere makes V8 check every typed array access in every loop from then on.
  (import "env" "memory" (memory 1))
  ;; The scan's constants, set by $pair for $visit.
  (global $rootK (mut f64) (f64.const 0))
  (global $invN (mut f64) (f64.const 0))
  (global $u2 (mut f64) (f64.const 0))
  (global $uf (mut f32) (f32.const 0))
  (global $out (mut i32) (i32.const 0))
  (global $outT (mut i32) (i32.const 0))
  (global $outM (mut i32) (i32.const 0))
  (global $outMT (mut i32) (i32.const 0))
  ;; Running maxima and bounds of p and of its mirror (M), and the voxels found.
  (global $lo (mut f64) (f64.const 0))
  (global $loM (mut f64) (f64.const 0))
  (global $best (mut f64) (f64.const -inf))
  (global $best2 (mut f64) (f64.const 0))
  (global $bestM (mut f64) (f64.const -inf))
  (global $best2M (mut f64) (f64.const 0))
  (global $n (mut i32) (i32.const 0))
  (global $nM (mut i32) (i32.const 0))
  (func (export "mirrorBest") (result f64) (global.get $bestM))
  (func (export "found") (result i32) (global.get $n))
  (func (export "foundMirror") (result i32) (global.get $nM))

  ;; Voxel v with its updated sum s and sum of squares q: the scalar loop's body after the update.
  (func $visit (param $v i32) (param $s f64) (param $q f64)
    (local $num f64) (local $ss f64) (local $r f64) (local $rm f64) (local $t f32) (local $at i32)
    (local.set $num (f64.mul (local.get $s) (global.get $rootK)))
    (local.set $ss (f64.sub (local.get $q) (f64.mul (f64.mul (local.get $s) (local.get $s)) (global.get $invN))))
    (local.set $r (f64.mul (local.get $num) (f64.abs (local.get $num))))
    (local.set $rm (f64.neg (local.get $r)))
    ;; ZERO_VARIANCE (permuted-t.ts): a sum of squares this small is rounding, its t 0.
    (if (i32.eqz (f64.gt (local.get $ss) (f64.mul (f64.const 1e-10) (local.get $q)))) (then (return)))
    (if (f64.ge (local.get $r) (f64.mul (global.get $lo) (local.get $ss)))
      (then
        (if (f64.ge (local.get $r) (f64.mul (global.get $u2) (local.get $ss)))
          (then
            (local.set $t (f32.demote_f64 (f64.div (local.get $num) (f64.sqrt (local.get $ss)))))
            (if (f32.ge (local.get $t) (global.get $uf))
              (then
                (local.set $at (i32.shl (global.get $n) (i32.const 2)))
                (i32.store (i32.add (global.get $out) (local.get $at)) (local.get $v))
                (f32.store (i32.add (global.get $outT) (local.get $at)) (local.get $t))
                (global.set $n (i32.add (global.get $n) (i32.const 1)))))))
        (if (f64.gt (local.get $r) (f64.mul (global.get $best2) (local.get $ss)))
          (then
            (global.set $best (f64.max (global.get $best)
              (f64.promote_f32 (f32.abs (f32.demote_f64 (f64.div (local.get $num) (f64.sqrt (local.get $ss))))))))
            (global.set $best2 (f64.mul (global.get $best) (global.get $best)))
            (global.set $lo (f64.min (global.get $u2) (global.get $best2)))))))
    (if (f64.ge (local.get $rm) (f64.mul (global.get $loM) (local.get $ss)))
      (then
        (if (f64.ge (local.get $rm) (f64.mul (global.get $u2) (local.get $ss)))
          (then
            (local.set $t (f32.demote_f64 (f64.div (f64.neg (local.get $num)) (f64.sqrt (local.get $ss)))))
            (if (f32.ge (local.get $t) (global.get $uf))
              (then
                (local.set $at (i32.shl (global.get $nM) (i32.const 2)))
                (i32.store (i32.add (global.get $outM) (local.get $at)) (local.get $v))
                (f32.store (i32.add (global.get $outMT) (local.get $at)) (local.get $t))
                (global.set $nM (i32.add (global.get $nM) (i32.const 1)))))))
        (if (f64.gt (local.get $rm) (f64.mul (global.get $best2M) (local.get $ss)))
          (then
            (global.set $bestM (f64.max (global.get $bestM)
              (f64.promote_f32 (f32.abs (f32.demote_f64 (f64.div (f64.neg (local.get $num)) (f64.sqrt (local.get $ss))))))))
            (global.set $best2M (f64.mul (global.get $bestM) (global.get $bestM)))
            (global.set $loM (f64.min (global.get $u2) (global.get $best2M))))))))

  ;; The scan of m voxels, sums at $acc updated by d times the values at $x (d = 0: none pending).
  ;; Returns p's max t (-inf when no voxel could be decided); the mirror's is mirrorBest().
  (func (export "pair") (param $acc i32) (param $sq i32) (param $x i32) (param $m i32) (param $d f64)
        (param $invN f64) (param $rootK f64) (param $u2 f64) (param $uf f32)
        (param $out i32) (param $outT i32) (param $outM i32) (param $outMT i32)
        (result f64)
    (local $v i32) (local $m4 i32) (local $bits i32) (local $pa i32) (local $ps i32) (local $px i32)
    (local $s v128) (local $s2 v128) (local $q v128) (local $q2 v128) (local $num v128)
    (local $ss v128) (local $ss2 v128) (local $r v128) (local $r2 v128)
    (local $dv v128) (local $kv v128) (local $nv v128) (local $lov v128) (local $loMv v128) (local $s1 f64)
    (global.set $rootK (local.get $rootK)) (global.set $invN (local.get $invN))
    (global.set $u2 (local.get $u2)) (global.set $uf (local.get $uf))
    (global.set $out (local.get $out)) (global.set $outT (local.get $outT))
    (global.set $outM (local.get $outM)) (global.set $outMT (local.get $outMT))
    (global.set $lo (f64.const 0)) (global.set $loM (f64.const 0))
    (global.set $best (f64.const -inf)) (global.set $best2 (f64.const 0))
    (global.set $bestM (f64.const -inf)) (global.set $best2M (f64.const 0))
    (global.set $n (i32.const 0)) (global.set $nM (i32.const 0))
    (local.set $dv (f64x2.splat (local.get $d)))
    (local.set $kv (f64x2.splat (local.get $rootK)))
    (local.set $nv (f64x2.splat (local.get $invN)))
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $v) (local.get $m4)))
        (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $v) (i32.const 3))))
        (local.set $ps (i32.add (local.get $sq) (i32.shl (local.get $v) (i32.const 3))))
        (local.set $px (i32.add (local.get $x) (i32.shl (local.get $v) (i32.const 2))))
        (local.set $s (f64x2.add (v128.load (local.get $pa))
          (f64x2.mul (local.get $dv) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px))))))
        (local.set $s2 (f64x2.add (v128.load offset=16 (local.get $pa))
          (f64x2.mul (local.get $dv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $px))))))
        (v128.store (local.get $pa) (local.get $s))
        (v128.store offset=16 (local.get $pa) (local.get $s2))
        (local.set $q (v128.load (local.get $ps)))
        (local.set $q2 (v128.load offset=16 (local.get $ps)))
        (local.set $num (f64x2.mul (local.get $s) (local.get $kv)))
        (local.set $ss (f64x2.sub (local.get $q) (f64x2.mul (f64x2.mul (local.get $s) (local.get $s)) (local.get $nv))))
        (local.set $r (f64x2.mul (local.get $num) (f64x2.abs (local.get $num))))
        (local.set $num (f64x2.mul (local.get $s2) (local.get $kv)))
        (local.set $ss2 (f64x2.sub (local.get $q2) (f64x2.mul (f64x2.mul (local.get $s2) (local.get $s2)) (local.get $nv))))
        (local.set $r2 (f64x2.mul (local.get $num) (f64x2.abs (local.get $num))))
        ;; The lanes that passed a preselect, as bits (V8 does not inline a call here).
        (local.set $bits (i32.or
          (i64x2.bitmask (v128.or
            (f64x2.ge (local.get $r) (f64x2.mul (local.get $lov) (local.get $ss)))
            (f64x2.ge (f64x2.neg (local.get $r)) (f64x2.mul (local.get $loMv) (local.get $ss)))))
          (i32.shl
            (i64x2.bitmask (v128.or
              (f64x2.ge (local.get $r2) (f64x2.mul (local.get $lov) (local.get $ss2)))
              (f64x2.ge (f64x2.neg (local.get $r2)) (f64x2.mul (local.get $loMv) (local.get $ss2)))))
            (i32.const 2))))
        (if (local.get $bits)
          (then
            (if (i32.and (local.get $bits) (i32.const 1))
              (then (call $visit (local.get $v) (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 0 (local.get $q)))))
            (if (i32.and (local.get $bits) (i32.const 2))
              (then (call $visit (i32.add (local.get $v) (i32.const 1))
                (f64x2.extract_lane 1 (local.get $s)) (f64x2.extract_lane 1 (local.get $q)))))
            (if (i32.and (local.get $bits) (i32.const 4))
              (then (call $visit (i32.add (local.get $v) (i32.const 2))
                (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 0 (local.get $q2)))))
            (if (i32.and (local.get $bits) (i32.const 8))
              (then (call $visit (i32.add (local.get $v) (i32.const 3))
                (f64x2.extract_lane 1 (local.get $s2)) (f64x2.extract_lane 1 (local.get $q2)))))
            (local.set $lov (f64x2.splat (global.get $lo)))
            (local.set $loMv (f64x2.splat (global.get $loM)))))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (br $four)))
    ;; The last m mod 4 voxels one at a time.
    (block $end
      (loop $one
        (br_if $end (i32.ge_u (local.get $v) (local.get $m)))
        (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $v) (i32.const 3))))
        (local.set $s1 (f64.add (f64.load (local.get $pa))
          (f64.mul (local.get $d) (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $v) (i32.const 2))))))))
        (f64.store (local.get $pa) (local.get $s1))
        (call $visit (local.get $v) (local.get $s1) (f64.load (i32.add (local.get $sq) (i32.shl (local.get $v) (i32.const 3)))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $one)))
    (global.get $best))
)
