;; The matrix loops of engine/matmul.ts in WebAssembly with SIMD: two float64 numbers per
;; instruction (f64x2). Each kernel does the same multiplications and additions as its
;; TypeScript twin, in the same order for every output number, so the results are identical
;; bit for bit; only the order in which output numbers are visited changes (to keep sums in
;; registers). Built by scripts/build-wasm.ts (wabt) into kernels.wasm.ts; engine/fast/index.ts
;; copies operands into this module's memory, calls a kernel and copies the result back.
;;
;; Addresses are byte offsets into the memory; matrices are row-major float64. The sizes are
;; n (rows of the left operand), k (the shared dimension) and m (columns of the result).
(module
  (memory (export "memory") 1)

  ;; 1 when every number in [ptr, ptr + 8·len) is finite, else 0 (x − x is NaN for ±∞ and NaN).
  ;; A zero input may only skip its products when they are all 0: 0·∞ and 0·NaN are NaN.
  (func (export "allFinite") (param $ptr i32) (param $len i32) (result i32)
    (local $end i32) (local $acc v128) (local $x v128) (local $y v128) (local $s f64)
    ;; eight numbers at a time, then one at a time
    (local.set $end (i32.add (local.get $ptr) (i32.shl (i32.and (local.get $len) (i32.const -8)) (i32.const 3))))
    (block $done
      (loop $eights
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $x (f64x2.add
          (f64x2.sub (v128.load (local.get $ptr)) (v128.load (local.get $ptr)))
          (f64x2.sub (v128.load offset=16 (local.get $ptr)) (v128.load offset=16 (local.get $ptr)))))
        (local.set $y (f64x2.add
          (f64x2.sub (v128.load offset=32 (local.get $ptr)) (v128.load offset=32 (local.get $ptr)))
          (f64x2.sub (v128.load offset=48 (local.get $ptr)) (v128.load offset=48 (local.get $ptr)))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.add (local.get $x) (local.get $y))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (br $eights)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (local.set $end (i32.add (local.get $ptr) (i32.shl (i32.and (local.get $len) (i32.const 7)) (i32.const 3))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.sub (f64.load (local.get $ptr)) (f64.load (local.get $ptr)))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
        (br $rest)))
    (f64.eq (local.get $s) (local.get $s)))

  ;; dst[cols×rows] = src[rows×cols]ᵀ.
  (func (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $from i32) (local $to i32) (local $rows8 i32)
    (local.set $rows8 (i32.shl (local.get $rows) (i32.const 3)))
    (loop $row
      (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $c (i32.const 0))
      (loop $col
        (f64.store (local.get $to) (f64.load (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $to (i32.add (local.get $to) (local.get $rows8)))
        (br_if $col (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $cols))))
      (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows)))))

  ;; The inputs a product cannot skip, of the $len numbers at src, src + step, src + 2·step, …:
  ;; the index of each (as an i32) goes to list, and their count is returned. All of them when
  ;; $skip is 0; else those that are not 0 (NaN ≠ 0, so a NaN is never skipped). Every index
  ;; is written; the count moves past it only when it is kept (no branch to mispredict).
  (func $nonzero (param $src i32) (param $step i32) (param $len i32) (param $list i32)
    (param $skip i32) (result i32)
    (local $i i32) (local $count i32) (local $all i32)
    (local.set $all (i32.eqz (local.get $skip)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
        (local.set $count (i32.add (local.get $count)
          (i32.or (local.get $all) (f64.ne (f64.load (local.get $src)) (f64.const 0)))))
        (local.set $src (i32.add (local.get $src) (local.get $step)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $count))

  ;; out[n×m] = a[n×k]·b[k×m] (matmulInto). Each output number is summed as in matmul.ts: from
  ;; +0, out + a·b for each input p in order. When $skip is 1 (b is finite) a zero input adds
  ;; ±0, which changes nothing (the sum starts at +0 and is never −0): it is left out of its
  ;; row's list of inputs (at $lists, made first: the count, then the indices). Sixteen output
  ;; columns at a time sit in eight registers (then eight in four, then one at a time); the
  ;; columns are the outer loop, so that their slice of b stays in the cache.
  (func (export "matmul")
    (param $out i32) (param $a i32) (param $b i32) (param $n i32) (param $k i32) (param $m i32)
    (param $skip i32) (param $lists i32) (param $pack i32)
    (local $i i32) (local $j i32) (local $m8 i32) (local $arow i32) (local $stride i32)
    (local $list i32) (local $e i32) (local $end i32) (local $ap i32) (local $r0 i32) (local $p i32)
    (local $s0 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $x f64)
    (local.set $m8 (i32.shl (local.get $m) (i32.const 3)))
    ;; each row's list: its count, then the indices of its inputs
    (local.set $stride (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2)))
    (loop $lists
      (local.set $list (i32.add (local.get $lists) (i32.mul (local.get $i) (local.get $stride))))
      (i32.store (local.get $list) (call $nonzero
        (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3)))
        (i32.const 8) (local.get $k) (i32.add (local.get $list) (i32.const 4)) (local.get $skip)))
      (br_if $lists (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    ;; sixteen columns at a time (eight registers), row by row
    (block $w16_done
      (loop $w16
        (br_if $w16_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $m)))
        ;; this block's sixteen columns of b, packed row after row (128 bytes apart): rows m·8
        ;; bytes apart (a power of two) would crowd into a few sets of the cache
        (local.set $ap (local.get $pack))
        (local.set $r0 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $end (i32.add (local.get $pack) (i32.shl (local.get $k) (i32.const 7))))
        (loop $pk
          (v128.store (local.get $ap) (v128.load (local.get $r0)))
          (v128.store offset=16 (local.get $ap) (v128.load offset=16 (local.get $r0)))
          (v128.store offset=32 (local.get $ap) (v128.load offset=32 (local.get $r0)))
          (v128.store offset=48 (local.get $ap) (v128.load offset=48 (local.get $r0)))
          (v128.store offset=64 (local.get $ap) (v128.load offset=64 (local.get $r0)))
          (v128.store offset=80 (local.get $ap) (v128.load offset=80 (local.get $r0)))
          (v128.store offset=96 (local.get $ap) (v128.load offset=96 (local.get $r0)))
          (v128.store offset=112 (local.get $ap) (v128.load offset=112 (local.get $r0)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 128)))
          (local.set $r0 (i32.add (local.get $r0) (local.get $m8)))
          (br_if $pk (i32.lt_u (local.get $ap) (local.get $end))))
        (local.set $i (i32.const 0))
        (loop $r16
          (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
          (local.set $list (i32.add (local.get $lists) (i32.mul (local.get $i) (local.get $stride))))
          (local.set $e (i32.add (local.get $list) (i32.const 4)))
          (local.set $end (i32.add (local.get $e) (i32.shl (i32.load (local.get $list)) (i32.const 2))))
          (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
          (local.set $c2 (v128.const f64x2 0 0)) (local.set $c3 (v128.const f64x2 0 0))
          (local.set $c4 (v128.const f64x2 0 0)) (local.set $c5 (v128.const f64x2 0 0))
          (local.set $c6 (v128.const f64x2 0 0)) (local.set $c7 (v128.const f64x2 0 0))
          (block $f16_done
            (loop $f16
              (br_if $f16_done (i32.ge_u (local.get $e) (local.get $end)))
              ;; input p of this row, and row p of the packed block
              (local.set $p (i32.load (local.get $e)))
              (local.set $s0 (f64x2.splat (f64.load (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 3))))))
              (local.set $r0 (i32.add (local.get $pack) (i32.shl (local.get $p) (i32.const 7))))
              (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s0) (v128.load (local.get $r0)))))
              (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s0) (v128.load offset=16 (local.get $r0)))))
              (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s0) (v128.load offset=32 (local.get $r0)))))
              (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s0) (v128.load offset=48 (local.get $r0)))))
              (local.set $c4 (f64x2.add (local.get $c4) (f64x2.mul (local.get $s0) (v128.load offset=64 (local.get $r0)))))
              (local.set $c5 (f64x2.add (local.get $c5) (f64x2.mul (local.get $s0) (v128.load offset=80 (local.get $r0)))))
              (local.set $c6 (f64x2.add (local.get $c6) (f64x2.mul (local.get $s0) (v128.load offset=96 (local.get $r0)))))
              (local.set $c7 (f64x2.add (local.get $c7) (f64x2.mul (local.get $s0) (v128.load offset=112 (local.get $r0)))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $f16)))
          (local.set $r0 (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 3))))
          (v128.store (local.get $r0) (local.get $c0))
          (v128.store offset=16 (local.get $r0) (local.get $c1))
          (v128.store offset=32 (local.get $r0) (local.get $c2))
          (v128.store offset=48 (local.get $r0) (local.get $c3))
          (v128.store offset=64 (local.get $r0) (local.get $c4))
          (v128.store offset=80 (local.get $r0) (local.get $c5))
          (v128.store offset=96 (local.get $r0) (local.get $c6))
          (v128.store offset=112 (local.get $r0) (local.get $c7))
          (br_if $r16 (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $w16)))
    ;; eight columns at a time, row by row
    (block $wide_done
      (loop $wide
        (br_if $wide_done (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $m)))
        (local.set $i (i32.const 0))
        (loop $rows
          (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
          (local.set $list (i32.add (local.get $lists) (i32.mul (local.get $i) (local.get $stride))))
          (local.set $e (i32.add (local.get $list) (i32.const 4)))
          (local.set $end (i32.add (local.get $e) (i32.shl (i32.load (local.get $list)) (i32.const 2))))
          (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
          (local.set $c2 (v128.const f64x2 0 0)) (local.set $c3 (v128.const f64x2 0 0))
          (block $ones_done
            (loop $ones
              (br_if $ones_done (i32.ge_u (local.get $e) (local.get $end)))
              (local.set $p (i32.load (local.get $e)))
              (local.set $s0 (f64x2.splat (f64.load (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 3))))))
              (local.set $r0 (i32.add (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
                (i32.mul (local.get $p) (local.get $m8))))
              (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s0) (v128.load (local.get $r0)))))
              (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s0) (v128.load offset=16 (local.get $r0)))))
              (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s0) (v128.load offset=32 (local.get $r0)))))
              (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s0) (v128.load offset=48 (local.get $r0)))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $ones)))
          (local.set $r0 (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 3))))
          (v128.store (local.get $r0) (local.get $c0))
          (v128.store offset=16 (local.get $r0) (local.get $c1))
          (v128.store offset=32 (local.get $r0) (local.get $c2))
          (v128.store offset=48 (local.get $r0) (local.get $c3))
          (br_if $rows (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $wide)))
    ;; the last m mod 8 columns, one at a time, with the same sums
    (block $narrow_done
      (loop $narrow
        (br_if $narrow_done (i32.ge_s (local.get $j) (local.get $m)))
        (local.set $i (i32.const 0))
        (loop $rows
          (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
          (local.set $list (i32.add (local.get $lists) (i32.mul (local.get $i) (local.get $stride))))
          (local.set $e (i32.add (local.get $list) (i32.const 4)))
          (local.set $end (i32.add (local.get $e) (i32.shl (i32.load (local.get $list)) (i32.const 2))))
          (local.set $x (f64.const 0))
          (block $ones_done
            (loop $ones
              (br_if $ones_done (i32.ge_u (local.get $e) (local.get $end)))
              (local.set $p (i32.load (local.get $e)))
              (local.set $x (f64.add (local.get $x) (f64.mul
                (f64.load (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 3))))
                (f64.load (i32.add (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
                  (i32.mul (local.get $p) (local.get $m8)))))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $ones)))
          (f64.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 3)))
            (local.get $x))
          (br_if $rows (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $narrow))))

  ;; out[n×k] += g[n×m]·b[k×m]ᵀ (matmulTransposeBInto), given bT = b transposed, [m×k]. Each
  ;; output number gets, as in matmul.ts, out += d where d = g[i][0]·b[p][0] + g[i][1]·b[p][1] + …
  ;; summed in that order from 0. Eight outputs p … p+7 of a row at a time sit in four registers.
  (func (export "matmulTransposeB")
    (param $out i32) (param $g i32) (param $bT i32) (param $n i32) (param $m i32) (param $k i32)
    (local $i i32) (local $j i32) (local $p i32) (local $k8 i32) (local $grow i32)
    (local $o i32) (local $col i32) (local $s v128) (local $x f64) (local $gij f64)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (loop $rows
      (local.set $grow (i32.add (local.get $g) (i32.shl (i32.mul (local.get $i) (local.get $m)) (i32.const 3))))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $k8))))
      (local.set $p (i32.const 0))
      (block $wide_done
        (loop $wide
          (br_if $wide_done (i32.gt_s (i32.add (local.get $p) (i32.const 8)) (local.get $k)))
          (local.set $d0 (v128.const f64x2 0 0)) (local.set $d1 (v128.const f64x2 0 0))
          (local.set $d2 (v128.const f64x2 0 0)) (local.set $d3 (v128.const f64x2 0 0))
          (local.set $col (i32.add (local.get $bT) (i32.shl (local.get $p) (i32.const 3))))
          (local.set $j (i32.const 0))
          (loop $dot
            (local.set $s (f64x2.splat (f64.load (i32.add (local.get $grow) (i32.shl (local.get $j) (i32.const 3))))))
            (local.set $d0 (f64x2.add (local.get $d0) (f64x2.mul (local.get $s) (v128.load (local.get $col)))))
            (local.set $d1 (f64x2.add (local.get $d1) (f64x2.mul (local.get $s) (v128.load offset=16 (local.get $col)))))
            (local.set $d2 (f64x2.add (local.get $d2) (f64x2.mul (local.get $s) (v128.load offset=32 (local.get $col)))))
            (local.set $d3 (f64x2.add (local.get $d3) (f64x2.mul (local.get $s) (v128.load offset=48 (local.get $col)))))
            (local.set $col (i32.add (local.get $col) (local.get $k8)))
            (br_if $dot (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $m))))
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $d0)))
          (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $d1)))
          (v128.store offset=32 (local.get $o) (f64x2.add (v128.load offset=32 (local.get $o)) (local.get $d2)))
          (v128.store offset=48 (local.get $o) (f64x2.add (v128.load offset=48 (local.get $o)) (local.get $d3)))
          (local.set $o (i32.add (local.get $o) (i32.const 64)))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $wide)))
      (block $narrow_done
        (loop $narrow
          (br_if $narrow_done (i32.ge_s (local.get $p) (local.get $k)))
          (local.set $x (f64.const 0))
          (local.set $col (i32.add (local.get $bT) (i32.shl (local.get $p) (i32.const 3))))
          (local.set $j (i32.const 0))
          (loop $dot
            (local.set $x (f64.add (local.get $x) (f64.mul
              (f64.load (i32.add (local.get $grow) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (local.get $col)))))
            (local.set $col (i32.add (local.get $col) (local.get $k8)))
            (br_if $dot (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $m))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $x)))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $narrow)))
      (br_if $rows (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  ;; out[k×m] += a[n×k]ᵀ·g[n×m] (matmulTransposeAInto). Each output number gets, as in
  ;; matmul.ts, out + a·g for each example i in order, leaving out an example whose input p is
  ;; 0 when $skip is 1 (g is finite): row p's list (at $list) holds the examples it keeps.
  ;; Sixteen columns at a time sit in eight registers (then eight in four, then one at a time).
  (func (export "matmulTransposeA")
    (param $out i32) (param $a i32) (param $g i32) (param $n i32) (param $k i32) (param $m i32)
    (param $skip i32) (param $list i32) (param $gp i32)
    (local $p i32) (local $j i32) (local $m8 i32) (local $k8 i32) (local $acol i32) (local $q i32)
    (local $count i32) (local $gb i32) (local $e i32) (local $end i32) (local $ap i32) (local $o i32)
    (local $r0 i32) (local $i i32) (local $s0 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $x f64)
    (local.set $m8 (i32.shl (local.get $m) (i32.const 3)))
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    ;; g's columns sixteen at a time, packed block after block (each block's n rows 128 bytes
    ;; apart): rows m·8 bytes apart (a power of two) would crowd into a few sets of the cache
    (local.set $ap (local.get $gp))
    (block $packed
      (loop $pk
        (br_if $packed (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $m)))
        (local.set $r0 (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $q (i32.const 0))
        (loop $pkrow
          (v128.store (local.get $ap) (v128.load (local.get $r0)))
          (v128.store offset=16 (local.get $ap) (v128.load offset=16 (local.get $r0)))
          (v128.store offset=32 (local.get $ap) (v128.load offset=32 (local.get $r0)))
          (v128.store offset=48 (local.get $ap) (v128.load offset=48 (local.get $r0)))
          (v128.store offset=64 (local.get $ap) (v128.load offset=64 (local.get $r0)))
          (v128.store offset=80 (local.get $ap) (v128.load offset=80 (local.get $r0)))
          (v128.store offset=96 (local.get $ap) (v128.load offset=96 (local.get $r0)))
          (v128.store offset=112 (local.get $ap) (v128.load offset=112 (local.get $r0)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 128)))
          (local.set $r0 (i32.add (local.get $r0) (local.get $m8)))
          (br_if $pkrow (i32.lt_s (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $n))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pk)))
    (loop $rows
      ;; input p of every example: a column of a, its numbers k apart
      (local.set $acol (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 3))))
      (local.set $count (call $nonzero (local.get $acol) (local.get $k8) (local.get $n) (local.get $list) (local.get $skip)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $p) (local.get $m8))))
      (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
      (local.set $j (i32.const 0))
      ;; nothing to add to row p when every example is left out
      (block $row_done
      (br_if $row_done (i32.eqz (local.get $count)))
      ;; sixteen columns at a time (eight registers)
      (block $w16_done
        (loop $w16
          (br_if $w16_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $m)))
          (local.set $gb (i32.add (local.get $gp) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
          (local.set $c0 (v128.load (local.get $o))) (local.set $c1 (v128.load offset=16 (local.get $o)))
          (local.set $c2 (v128.load offset=32 (local.get $o))) (local.set $c3 (v128.load offset=48 (local.get $o)))
          (local.set $c4 (v128.load offset=64 (local.get $o))) (local.set $c5 (v128.load offset=80 (local.get $o)))
          (local.set $c6 (v128.load offset=96 (local.get $o))) (local.set $c7 (v128.load offset=112 (local.get $o)))
          (local.set $e (local.get $list))
          (block $f16_done
            (loop $f16
              (br_if $f16_done (i32.ge_u (local.get $e) (local.get $end)))
              ;; input p of example i, and row i of g's packed block
              (local.set $i (i32.load (local.get $e)))
              (local.set $s0 (f64x2.splat (f64.load (i32.add (local.get $acol) (i32.mul (local.get $i) (local.get $k8))))))
              (local.set $r0 (i32.add (local.get $gb) (i32.shl (local.get $i) (i32.const 7))))
              (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s0) (v128.load (local.get $r0)))))
              (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s0) (v128.load offset=16 (local.get $r0)))))
              (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s0) (v128.load offset=32 (local.get $r0)))))
              (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s0) (v128.load offset=48 (local.get $r0)))))
              (local.set $c4 (f64x2.add (local.get $c4) (f64x2.mul (local.get $s0) (v128.load offset=64 (local.get $r0)))))
              (local.set $c5 (f64x2.add (local.get $c5) (f64x2.mul (local.get $s0) (v128.load offset=80 (local.get $r0)))))
              (local.set $c6 (f64x2.add (local.get $c6) (f64x2.mul (local.get $s0) (v128.load offset=96 (local.get $r0)))))
              (local.set $c7 (f64x2.add (local.get $c7) (f64x2.mul (local.get $s0) (v128.load offset=112 (local.get $r0)))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $f16)))
          (v128.store (local.get $o) (local.get $c0))
          (v128.store offset=16 (local.get $o) (local.get $c1))
          (v128.store offset=32 (local.get $o) (local.get $c2))
          (v128.store offset=48 (local.get $o) (local.get $c3))
          (v128.store offset=64 (local.get $o) (local.get $c4))
          (v128.store offset=80 (local.get $o) (local.get $c5))
          (v128.store offset=96 (local.get $o) (local.get $c6))
          (v128.store offset=112 (local.get $o) (local.get $c7))
          (local.set $o (i32.add (local.get $o) (i32.const 128)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $w16)))
      (block $wide_done
        (loop $wide
          (br_if $wide_done (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $m)))
          (local.set $c0 (v128.load (local.get $o))) (local.set $c1 (v128.load offset=16 (local.get $o)))
          (local.set $c2 (v128.load offset=32 (local.get $o))) (local.set $c3 (v128.load offset=48 (local.get $o)))
          (local.set $e (local.get $list))
          (block $ones_done
            (loop $ones
              (br_if $ones_done (i32.ge_u (local.get $e) (local.get $end)))
              (local.set $i (i32.load (local.get $e)))
              (local.set $s0 (f64x2.splat (f64.load (i32.add (local.get $acol) (i32.mul (local.get $i) (local.get $k8))))))
              (local.set $r0 (i32.add (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3)))
                (i32.mul (local.get $i) (local.get $m8))))
              (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s0) (v128.load (local.get $r0)))))
              (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s0) (v128.load offset=16 (local.get $r0)))))
              (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s0) (v128.load offset=32 (local.get $r0)))))
              (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s0) (v128.load offset=48 (local.get $r0)))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $ones)))
          (v128.store (local.get $o) (local.get $c0))
          (v128.store offset=16 (local.get $o) (local.get $c1))
          (v128.store offset=32 (local.get $o) (local.get $c2))
          (v128.store offset=48 (local.get $o) (local.get $c3))
          (local.set $o (i32.add (local.get $o) (i32.const 64)))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $wide)))
      ;; the last m mod 8 columns, one at a time, with the same sums
      (block $narrow_done
        (loop $narrow
          (br_if $narrow_done (i32.ge_s (local.get $j) (local.get $m)))
          (local.set $x (f64.load (local.get $o)))
          (local.set $e (local.get $list))
          (block $ones_done
            (loop $ones
              (br_if $ones_done (i32.ge_u (local.get $e) (local.get $end)))
              (local.set $i (i32.load (local.get $e)))
              (local.set $x (f64.add (local.get $x) (f64.mul
                (f64.load (i32.add (local.get $acol) (i32.mul (local.get $i) (local.get $k8))))
                (f64.load (i32.add (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3)))
                  (i32.mul (local.get $i) (local.get $m8)))))))
              (local.set $e (i32.add (local.get $e) (i32.const 4)))
              (br $ones)))
          (f64.store (local.get $o) (local.get $x))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $narrow))))
      (br_if $rows (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $k)))))

  ;; y ← y + b on each of n rows of m numbers (b is one row), then y ← max(0, y) when $relu is 1:
  ;; linear's bias and activation, the loop of tensor.ts (f64.max, as Math.max, gives NaN for NaN
  ;; and +0 for ±0). Two columns at a time, then an odd last one.
  (func (export "biasActivate") (param $y i32) (param $b i32) (param $n i32) (param $m i32) (param $relu i32)
    (local $i i32) (local $j i32) (local $at i32) (local $x v128) (local $s f64)
    (loop $rows
      (local.set $j (i32.const 0))
      (block $pairs_done
        (loop $pairs
          (br_if $pairs_done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $m)))
          (local.set $at (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $x (f64x2.add (v128.load (local.get $at))
            (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
          (if (local.get $relu) (then (local.set $x (f64x2.max (v128.const f64x2 0 0) (local.get $x)))))
          (v128.store (local.get $at) (local.get $x))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $pairs)))
      (if (i32.lt_s (local.get $j) (local.get $m)) (then
        (local.set $at (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $s (f64.add (f64.load (local.get $at))
          (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
        (if (local.get $relu) (then (local.set $s (f64.max (f64.const 0) (local.get $s)))))
        (f64.store (local.get $at) (local.get $s))))
      (local.set $y (i32.add (local.get $y) (i32.shl (local.get $m) (i32.const 3))))
      (br_if $rows (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  ;; The optimizers' updates of engine/optim.ts, two weights at a time (at byte offset $i of
  ;; each array): each number goes through the same operations in the same order as in the
  ;; TypeScript loop. $pairs (at least 1) is half the length, rounded up: an odd array is
  ;; followed by a spare number (fast/index.ts lays them out so), which the last pair updates
  ;; harmlessly. w ← w − lr·g (SGD):
  (func (export "sgd") (param $w i32) (param $g i32) (param $pairs i32) (param $lr f64)
    (local $i i32) (local $end i32) (local $LR v128)
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $end (i32.shl (local.get $pairs) (i32.const 4)))
    (loop $each
      (v128.store (i32.add (local.get $w) (local.get $i))
        (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $i)))
          (f64x2.mul (local.get $LR) (v128.load (i32.add (local.get $g) (local.get $i))))))
      (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end)))))

  ;; v ← β·v + g, then w ← w − lr·v (momentum).
  (func (export "momentum") (param $w i32) (param $g i32) (param $v i32) (param $pairs i32)
    (param $lr f64) (param $beta f64)
    (local $i i32) (local $end i32) (local $LR v128) (local $BETA v128) (local $x v128)
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $BETA (f64x2.splat (local.get $beta)))
    (local.set $end (i32.shl (local.get $pairs) (i32.const 4)))
    (loop $each
      (local.set $x (f64x2.add (f64x2.mul (local.get $BETA) (v128.load (i32.add (local.get $v) (local.get $i))))
        (v128.load (i32.add (local.get $g) (local.get $i)))))
      (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $x))
      (v128.store (i32.add (local.get $w) (local.get $i))
        (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $i))) (f64x2.mul (local.get $LR) (local.get $x))))
      (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end)))))

  ;; m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g·g, then w ← w − (lr·(m / c1)) / (√(v / c2) + ε)
  ;; (Adam; c1 and c2 are the bias corrections 1 − β1ᵗ and 1 − β2ᵗ).
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $pairs i32)
    (param $lr f64) (param $b1 f64) (param $b2 f64) (param $eps f64) (param $c1 f64) (param $c2 f64)
    (local $i i32) (local $end i32) (local $x v128) (local $y v128) (local $gi v128)
    (local $B1 v128) (local $B2 v128) (local $N1 v128) (local $N2 v128) (local $LR v128)
    (local.set $B1 (f64x2.splat (local.get $b1))) (local.set $B2 (f64x2.splat (local.get $b2)))
    (local.set $N1 (f64x2.splat (f64.sub (f64.const 1) (local.get $b1))))
    (local.set $N2 (f64x2.splat (f64.sub (f64.const 1) (local.get $b2))))
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $end (i32.shl (local.get $pairs) (i32.const 4)))
    (loop $each
      (local.set $gi (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $x (f64x2.add (f64x2.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $i))))
        (f64x2.mul (local.get $N1) (local.get $gi))))
      (local.set $y (f64x2.add (f64x2.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $i))))
        (f64x2.mul (f64x2.mul (local.get $N2) (local.get $gi)) (local.get $gi))))
      (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $x))
      (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $y))
      (v128.store (i32.add (local.get $w) (local.get $i)) (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $i)))
        (f64x2.div (f64x2.mul (local.get $LR) (f64x2.div (local.get $x) (f64x2.splat (local.get $c1))))
          (f64x2.add (f64x2.sqrt (f64x2.div (local.get $y) (f64x2.splat (local.get $c2)))) (f64x2.splat (local.get $eps))))))
      (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end)))))
)
