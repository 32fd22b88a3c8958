//! Seeded generators. Every random draw of a run comes from generators derived
//! from (seed, configuration, replication) alone (docs/model.md §4) — never from the
//! thread, the shard or the order of execution. ChaCha8 and Xoshiro256++ are
//! portable: the same seed gives the same bytes on every platform.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator of the noise: one word for each of the many normal draws of
/// every step, where ChaCha8's cost (about one cycle a byte) was a tenth of the
/// run. Xoshiro256++ (Blackman & Vigna 2018) passes the usual statistical
/// batteries at a fraction of that; it is seeded from the noise stream's ChaCha8.
pub type NoiseRng = Xoshiro256PlusPlus;

/// Identifies one run of a sweep; `entente run` is configuration 0, replication 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RunId {
    /// The seed: the scenario's `seed` parameter.
    pub seed: u64,
    /// The configuration's index in the sweep, from 0.
    pub config: u64,
    /// The replication's index within the configuration, from 0.
    pub rep: u64,
}

/// Independent streams of one run, so that e.g. switching noise off does not
/// shift the draws that decide events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// The draws that decide events: reciprocations, reactions, backlash, revisionist
    /// actions and their rivals, breaches.
    Events = 0,
    /// The stream that seeds the noise generator ([`NoiseRng`]).
    Noise = 1,
}

/// SplitMix64's finalizer: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl RunId {
    /// Replication `rep` of configuration `config`, seeded with `seed`.
    pub fn new(seed: u64, config: u64, rep: u64) -> Self {
        RunId { seed, config, rep }
    }

    /// The generator of one stream of this run.
    pub fn generator(&self, stream: Stream) -> ChaCha8Rng {
        let mut key = [0u8; 32];
        let words = [
            mix(self.seed ^ 0x656e_7465_6e74_6501),
            mix(self.config.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ mix(self.seed)),
            mix(self.rep.wrapping_add(0x3c6e_f372_fe94_f82b) ^ mix(self.config)),
            mix(self.seed.rotate_left(17) ^ self.rep ^ self.config.rotate_left(41)),
        ];
        for (chunk, w) in key.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream as u64);
        rng
    }

    /// The generator of the noise, seeded from this run's noise stream.
    pub fn noise_generator(&self) -> NoiseRng {
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut self.generator(Stream::Noise), &mut seed);
        NoiseRng::from_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_and_runs_differ_and_repeat() {
        let a: u64 = RunId::new(1, 0, 0).generator(Stream::Events).gen();
        let b: u64 = RunId::new(1, 0, 0).generator(Stream::Events).gen();
        let c: u64 = RunId::new(1, 0, 1).generator(Stream::Events).gen();
        let d: u64 = RunId::new(1, 1, 0).generator(Stream::Events).gen();
        let e: u64 = RunId::new(1, 0, 0).generator(Stream::Noise).gen();
        assert_eq!(a, b);
        assert!(a != c && a != d && a != e && c != d);
    }

    #[test]
    fn pinned_bytes() {
        // A change here changes every published result: bump the version if intended.
        let x: u64 = RunId::new(42, 3, 7).generator(Stream::Events).gen();
        assert_eq!(x, 0xfc79_1e19_177d_8b02);
        let z: u64 = RunId::new(42, 3, 7).noise_generator().gen();
        assert_eq!(z, 0x7431_53c2_464a_0431);
        let y: u64 = RunId::new(42, 7, 3).generator(Stream::Events).gen();
        assert_ne!(x, y);
    }
}
