//! The randomness of a quiz: which questions an attempt draws and in which order its
//! choices appear.

use crate::service::Assessment;

/// A small deterministic generator seeded from the token source, so tests can pin it.
pub(crate) struct Draw(u64);

impl Draw {
    pub(crate) fn new(svc: &Assessment) -> Self {
        let seed = svc
            .tokens
            .token()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        Draw(seed | 1)
    }

    pub(crate) fn next(&mut self, below: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below.max(1) as u64) as usize
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.next(i + 1));
        }
    }
}
