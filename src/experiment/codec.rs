//! The binary files of a sweep — its checkpoint and a shard's `aggregates.bin` —
//! in postcard (serde), behind a header naming the kind of file and its format
//! version, and followed by the SHA-256 of everything before it.
//!
//! Both directions stream: writing goes through a 64 KiB buffer that is hashed
//! as it is flushed to a temporary file, renamed into place when complete (a
//! checkpoint as large as the sweep's aggregates never sits in memory a second
//! time); reading checks the checksum in one pass before anything is decoded,
//! then decodes from the file. A damaged, truncated or foreign file is an error
//! saying so, never a wrong result.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The version of the layout of every file written here; bumped when a type
/// serialized into them changes.
pub const FORMAT_VERSION: u32 = 3;

const DIGEST: usize = 32;

#[derive(Serialize, Deserialize)]
struct Header {
    kind: String,
    version: u32,
}

fn damaged(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("damaged file {}: {what}", path.display()),
    )
}

fn postcard_error(e: postcard::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// A buffered writer that hashes what it flushes.
struct Hashing<W: Write> {
    inner: W,
    buf: Vec<u8>,
    hash: Sha256,
}

impl<W: Write> Hashing<W> {
    fn drain(&mut self) -> io::Result<()> {
        self.hash.update(&self.buf);
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.buf.capacity() {
            self.drain()?;
        }
        if data.len() >= self.buf.capacity() {
            self.hash.update(data);
            self.inner.write_all(data)?;
        } else {
            self.buf.extend_from_slice(data);
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }
}

/// Writes `value` into `path` as a file of `kind`, atomically.
pub(crate) fn write_file<T: Serialize>(path: &Path, kind: &str, value: &T) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".entente-").suffix(".tmp");
    // as any file written in the folder (the umask applies), not owner-only
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Removed by the signal cleanup too: a checkpoint is rewritten every few
    // seconds, so an interrupt often lands while one is being written.
    let (mut tmp, _live) =
        crate::files::cleanup::create_registered(|| builder.tempfile_in(dir), |t| t.path())?;
    let mut w = Hashing {
        inner: tmp.as_file_mut(),
        buf: Vec::with_capacity(1 << 16),
        hash: Sha256::new(),
    };
    let header = Header {
        kind: kind.into(),
        version: FORMAT_VERSION,
    };
    let mut w = postcard::to_io(&header, &mut w).map_err(postcard_error)?;
    let w = postcard::to_io(value, &mut w).map_err(postcard_error)?;
    w.flush()?;
    let digest = std::mem::take(&mut w.hash).finalize();
    w.inner.write_all(&digest)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads a file of `kind` written by [`write_file`].
pub(crate) fn read_file<T: DeserializeOwned>(path: &Path, kind: &str) -> io::Result<T> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let Some(payload) = len.checked_sub(DIGEST as u64) else {
        return Err(damaged(path, "too short to be an entente file"));
    };
    // The checksum first, so that nothing damaged is decoded.
    let mut hash = Sha256::new();
    let mut reader = BufReader::with_capacity(1 << 16, &mut file);
    io::copy(&mut (&mut reader).take(payload), &mut HashSink(&mut hash))?;
    let mut stored = [0u8; DIGEST];
    reader.read_exact(&mut stored)?;
    if hash.finalize()[..] != stored {
        return Err(damaged(
            path,
            "its checksum does not match (truncated or altered)",
        ));
    }
    drop(reader);
    file.seek(SeekFrom::Start(0))?;
    // Strings are decoded through this buffer, one at a time; it is allocated
    // zeroed, so only the pages the longest string needs are ever touched.
    let mut scratch = vec![0u8; payload.min(64 << 20) as usize];
    let mut reader = BufReader::with_capacity(1 << 16, (&mut file).take(payload));
    let (header, (reader, scratch)) =
        postcard::from_io::<Header, _>((&mut reader, &mut scratch[..]))
            .map_err(|_| damaged(path, "no entente header"))?;
    if header.kind != kind {
        return Err(damaged(
            path,
            &format!("it holds `{}`, not `{kind}`", header.kind),
        ));
    }
    if header.version != FORMAT_VERSION {
        return Err(damaged(
            path,
            &format!(
                "format version {} (this entente reads version {FORMAT_VERSION}): \
                 rerun the sweep with this entente",
                header.version
            ),
        ));
    }
    let (value, (reader, _)) = postcard::from_io::<T, _>((reader, scratch))
        .map_err(|e| damaged(path, &format!("cannot decode it ({e})")))?;
    let mut rest = [0u8; 1];
    if reader.read(&mut rest)? != 0 {
        return Err(damaged(path, "bytes after its content"));
    }
    Ok(value)
}

struct HashSink<'a>(&'a mut Sha256);

impl Write for HashSink<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.update(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        xs: Vec<f64>,
        n: i128,
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let value = Sample {
            name: "é".repeat(70_000),
            xs: (0..100_000).map(|i| i as f64 * 0.1 - 3.0).collect(),
            n: -(1 << 100),
        };
        write_file(&path, "sample", &value).unwrap();
        assert_eq!(read_file::<Sample>(&path, "sample").unwrap(), value);
        let err = |bytes: &[u8], kind: &str| {
            std::fs::write(&path, bytes).unwrap();
            read_file::<Sample>(&path, kind).unwrap_err().to_string()
        };
        let good = {
            write_file(&path, "sample", &value).unwrap();
            std::fs::read(&path).unwrap()
        };
        assert!(err(&good, "other").contains("holds `sample`, not `other`"));
        let mut flipped = good.clone();
        flipped[good.len() / 2] ^= 1;
        assert!(err(&flipped, "sample").contains("checksum does not match"));
        assert!(err(&good[..good.len() - 1], "sample").contains("checksum does not match"));
        assert!(err(b"short", "sample").contains("too short"));
        // a consistent file of another version
        let mut old = Vec::new();
        postcard::to_io(
            &Header {
                kind: "sample".into(),
                version: 1,
            },
            &mut old,
        )
        .unwrap();
        old.extend(Sha256::digest(&old));
        assert!(err(&old, "sample").contains("format version 1 (this entente reads version 3)"));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() == 1,
            "no temporary file left"
        );
    }
}
