//! Recordings: a real WAV file whose length matches the call's transcript.
//! Speech is not needed; each turn is a short tone (robot higher, party
//! lower) so a listener hears where turns start while seeking.

use shared::wire::mediation::Speaker;

use crate::world::Call;

const RATE: u32 = 8_000;

/// An 8 kHz, 16-bit mono PCM WAV for the call.
pub fn wav_for(call: &Call) -> Vec<u8> {
    let secs = call.audio_secs().max(1) as u32;
    let samples = (secs * RATE) as usize;
    let mut pcm = vec![0i16; samples];
    let first = call.turns.first().map(|t| t.at).unwrap_or(0);
    for turn in &call.turns {
        let start = ((turn.at - first).max(0) as u32 * RATE) as usize;
        let freq = if turn.speaker == Speaker::Robot { 660.0 } else { 440.0 };
        let len = (RATE as usize / 4).min(samples.saturating_sub(start));
        for i in 0..len {
            let t = i as f32 / RATE as f32;
            let fade = 1.0 - i as f32 / len as f32;
            pcm[start + i] = (f32::sin(2.0 * std::f32::consts::PI * freq * t) * 6_000.0 * fade) as i16;
        }
    }
    encode(&pcm)
}

/// The first and last byte of a single `Range: bytes=…` request over `len`
/// bytes (`a-b`, `a-` or `-suffix`); `None` when it cannot be satisfied.
pub fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let last = len.checked_sub(1)?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", suffix) => {
            let n: usize = suffix.parse().ok()?;
            (len.checked_sub(n.min(len))?, last)
        }
        (a, "") => (a.parse().ok()?, last),
        (a, b) => (a.parse().ok()?, b.parse::<usize>().ok()?.min(last)),
    };
    (start <= end && start < len).then_some((start, end))
}

fn encode(pcm: &[i16]) -> Vec<u8> {
    let data_len = (pcm.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in pcm {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Length in seconds of a WAV made by [`wav_for`].
pub fn wav_secs(wav: &[u8]) -> Option<f64> {
    if wav.len() < 44 || &wav[0..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return None;
    }
    let rate = u32::from_le_bytes(wav[24..28].try_into().ok()?);
    let data = u32::from_le_bytes(wav[40..44].try_into().ok()?);
    Some(data as f64 / (rate as f64 * 2.0))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(byte_range("bytes=90-200", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=100-", 100), None);
        assert_eq!(byte_range("bytes=5-1", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(byte_range("bytes=0-", 0), None);
    }
}
