//! A small little-endian binary format for checkpoints and shard aggregates: exact
//! (integers and f64 bits), versioned by a magic header, read back with bounds
//! checks so a damaged file is an error, never a wrong result.

use std::io::{self, Read, Write};

pub(crate) struct Encoder<W: Write>(pub W);

impl<W: Write> Encoder<W> {
    pub fn u64(&mut self, x: u64) -> io::Result<()> {
        self.0.write_all(&x.to_le_bytes())
    }
    pub fn f64(&mut self, x: f64) -> io::Result<()> {
        self.u64(x.to_bits())
    }
    pub fn str(&mut self, s: &str) -> io::Result<()> {
        self.u64(s.len() as u64)?;
        self.0.write_all(s.as_bytes())
    }
    pub fn u32s(&mut self, xs: &[u32]) -> io::Result<()> {
        self.array(xs, |x| x.to_le_bytes())
    }
    pub fn f64s(&mut self, xs: &[f64]) -> io::Result<()> {
        self.array(xs, |x| x.to_bits().to_le_bytes())
    }
    pub fn i128s(&mut self, xs: &[i128]) -> io::Result<()> {
        self.array(xs, |x| x.to_le_bytes())
    }
    /// The length, then every element's `N` bytes, laid out in one buffer with
    /// fixed-size copies (a checkpoint holds millions of histogram counts).
    fn array<T: Copy, const N: usize>(
        &mut self,
        xs: &[T],
        bytes: impl Fn(T) -> [u8; N],
    ) -> io::Result<()> {
        self.u64(xs.len() as u64)?;
        let mut buf = vec![0u8; xs.len() * N];
        for (chunk, &x) in buf.chunks_exact_mut(N).zip(xs) {
            chunk.copy_from_slice(&bytes(x));
        }
        self.0.write_all(&buf)
    }
}

pub(crate) struct Decoder<R: Read>(pub R);

fn damaged(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("damaged file: {what}"))
}

impl<R: Read> Decoder<R> {
    fn bytes<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut b = [0u8; N];
        self.0.read_exact(&mut b)?;
        Ok(b)
    }
    pub fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }
    pub fn f64(&mut self) -> io::Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn len(&mut self, unit: usize) -> io::Result<usize> {
        let n = self.u64()?;
        if n > (1 << 34) / unit as u64 {
            return Err(damaged("a length is implausibly large"));
        }
        Ok(n as usize)
    }
    pub fn str(&mut self) -> io::Result<String> {
        let n = self.len(1)?;
        let mut b = vec![0u8; n];
        self.0.read_exact(&mut b)?;
        String::from_utf8(b).map_err(|_| damaged("text is not UTF-8"))
    }
    pub fn u32s(&mut self) -> io::Result<Vec<u32>> {
        let n = self.len(4)?;
        let mut b = vec![0u8; n * 4];
        self.0.read_exact(&mut b)?;
        Ok(b.chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
    pub fn f64s(&mut self) -> io::Result<Vec<f64>> {
        let n = self.len(8)?;
        let mut b = vec![0u8; n * 8];
        self.0.read_exact(&mut b)?;
        Ok(b.chunks_exact(8)
            .map(|c| f64::from_bits(u64::from_le_bytes(c.try_into().expect("8 bytes"))))
            .collect())
    }
    pub fn i128s(&mut self) -> io::Result<Vec<i128>> {
        let n = self.len(16)?;
        let mut b = vec![0u8; n * 16];
        self.0.read_exact(&mut b)?;
        Ok(b.chunks_exact(16)
            .map(|c| i128::from_le_bytes(c.try_into().expect("16 bytes")))
            .collect())
    }
    /// Checks a magic tag written by `Encoder::str`.
    pub fn expect(&mut self, tag: &str) -> io::Result<()> {
        match self.str() {
            Ok(t) if t == tag => Ok(()),
            _ => Err(damaged(&format!("expected a `{tag}` section"))),
        }
    }
}
