//! A small deterministic PRNG (splitmix64) and a keyed permutation of `0..n`, so that demo
//! data is the same for the same seed on every machine and unique numbers (户号, ID numbers)
//! need no set of the numbers already handed out.

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and good enough for demo data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    #[cfg(test)]
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for one item of a stream, independent of how many values earlier items
    /// drew (so item `i` is the same whether or not the items before it were generated).
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Self {
        Rng(mix(seed
            ^ mix(stream.wrapping_add(0x5851_F42D_4C95_7F2D))
            ^ mix(index)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element of a non-empty slice (the first one of an empty slice is never asked for:
    /// every table in the demo is a non-empty constant).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let i = self.below(items.len() as u64) as usize;
        items[i.min(items.len().saturating_sub(1))]
    }

    /// One element by weight: `items` is `(value, weight)`, weights need not add up to
    /// anything in particular.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (item, w) in items {
            let w = u64::from(*w);
            if x < w {
                return *item;
            }
            x -= w;
        }
        self.pick(items).0
    }

    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// The splitmix64 output function: a good 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A keyed pseudo-random permutation of `0..n`: a balanced Feistel network over the smallest
/// even number of bits that holds `n`, with cycle walking back into range. `index` must be
/// below `n` (it is reduced modulo `n` otherwise); `n == 0` gives 0.
pub fn permute(index: u64, n: u64, key: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let bits = 64 - (n - 1).leading_zeros();
    let half = bits.div_ceil(2);
    let mask = (1u64 << half) - 1;
    let mut x = index % n;
    loop {
        let (mut left, mut right) = (x >> half, x & mask);
        for round in 0..4u64 {
            let f = mix(right ^ key.rotate_left(round as u32 * 16) ^ round) & mask;
            (left, right) = (right, left ^ f);
        }
        x = (left << half) | right;
        if x < n {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::new(7);
        assert!(a.iter().all(|x| *x == r.next_u64()));
        assert_ne!(Rng::new(8).next_u64(), a[0]);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            assert!((3..=5).contains(&r.range(3, 5)));
        }
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn permute_is_a_permutation() {
        for n in [1u64, 2, 3, 10, 97, 1000, 4096, 5000] {
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let p = permute(i, n, 42) as usize;
                assert!(!seen[p], "n={n} i={i}");
                seen[p] = true;
            }
        }
        assert_ne!(permute(0, 1000, 1), permute(0, 1000, 2));
    }
}
