//! One core's floating-point peak, measured, for the README's dense-kernel row:
//! many independent chains of fused multiply-adds (FMA), and of a multiply then
//! an add rounded separately (what the balance kernel does, so that its bits are
//! the scalar code's), at 256 and, where the processor has it, 512 bits.
//! Each chain is x ← x·a + b, so nothing can be hoisted out of the loop.
//! Fastest of several rounds; flops count a multiply-add as two.
//! `cargo run --release --example fma_peak`
use std::time::Instant;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// Chains in flight: enough to cover the latency of two ports.
    const CHAINS: usize = 12;

    macro_rules! kernel {
        ($name:ident, $feature:literal, $vec:ty, $set1:ident, $op:expr, $store:ident, $lanes:expr) => {
            #[target_feature(enable = $feature)]
            pub unsafe fn $name(iters: u64) -> f64 {
                let a = $set1(1.000_000_1);
                let b = $set1(-1e-9);
                let mut acc: [$vec; CHAINS] = [$set1(0.0); CHAINS];
                for _ in 0..iters {
                    for x in acc.iter_mut() {
                        *x = $op(*x, a, b);
                    }
                }
                let mut out = [0.0f64; $lanes];
                let mut total = 0.0;
                for x in acc {
                    $store(out.as_mut_ptr(), x);
                    total += out.iter().sum::<f64>();
                }
                total
            }
        };
    }

    #[inline(always)]
    unsafe fn fma256(x: __m256d, a: __m256d, b: __m256d) -> __m256d {
        _mm256_fmadd_pd(x, a, b)
    }
    #[inline(always)]
    unsafe fn muladd256(x: __m256d, a: __m256d, b: __m256d) -> __m256d {
        _mm256_add_pd(_mm256_mul_pd(x, a), b)
    }
    #[inline(always)]
    unsafe fn fma512(x: __m512d, a: __m512d, b: __m512d) -> __m512d {
        _mm512_fmadd_pd(x, a, b)
    }
    #[inline(always)]
    unsafe fn muladd512(x: __m512d, a: __m512d, b: __m512d) -> __m512d {
        _mm512_add_pd(_mm512_mul_pd(x, a), b)
    }

    kernel!(
        fma_256,
        "avx2,fma",
        __m256d,
        _mm256_set1_pd,
        fma256,
        _mm256_storeu_pd,
        4
    );
    kernel!(
        muladd_256,
        "avx2",
        __m256d,
        _mm256_set1_pd,
        muladd256,
        _mm256_storeu_pd,
        4
    );
    kernel!(
        fma_512,
        "avx512f",
        __m512d,
        _mm512_set1_pd,
        fma512,
        _mm512_storeu_pd,
        8
    );
    kernel!(
        muladd_512,
        "avx512f",
        __m512d,
        _mm512_set1_pd,
        muladd512,
        _mm512_storeu_pd,
        8
    );

    pub const fn chains() -> usize {
        CHAINS
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    {
        let iters = 20_000_000u64;
        type Kernel = unsafe fn(u64) -> f64;
        let mut kernels: Vec<(&str, usize, Kernel)> = Vec::new();
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            kernels.push(("FMA, 256-bit", 4, x86::fma_256));
            kernels.push(("multiply then add, 256-bit", 4, x86::muladd_256));
        }
        if is_x86_feature_detected!("avx512f") {
            kernels.push(("FMA, 512-bit", 8, x86::fma_512));
            kernels.push(("multiply then add, 512-bit", 8, x86::muladd_512));
        }
        for (name, lanes, kernel) in kernels {
            let mut best = f64::MAX;
            for _ in 0..7 {
                let start = Instant::now();
                // SAFETY: the processor has the features, checked above.
                std::hint::black_box(unsafe { kernel(iters) });
                best = best.min(start.elapsed().as_secs_f64());
            }
            let flops = 2.0 * (iters * x86::chains() as u64 * lanes as u64) as f64;
            println!("{name}: {:.1} GFLOP/s (fastest of 7)", flops / best / 1e9);
        }
    }
}
