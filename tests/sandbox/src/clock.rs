//! The sandbox's clock. Real time by default; a test can fix it (deterministic
//! mode), advance it, or scale it so minutes of upstream behaviour (call
//! lifecycles, the note agent's 1/5/10-minute retries) pass in seconds.

use std::time::Instant;

#[derive(Clone, Debug)]
pub struct Clock {
    /// Virtual time (ms since the epoch) at `anchor`.
    base_ms: i64,
    anchor: Instant,
    /// Virtual milliseconds per real millisecond; 0 freezes the clock.
    scale: f64,
}

impl Clock {
    pub fn real() -> Self {
        Self::starting_at(wall_ms(), 1.0)
    }

    pub fn starting_at(base_ms: i64, scale: f64) -> Self {
        Self { base_ms, anchor: Instant::now(), scale }
    }

    pub fn now_ms(&self) -> i64 {
        self.base_ms + (self.anchor.elapsed().as_millis() as f64 * self.scale) as i64
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Changes the speed from now on, without jumping.
    pub fn set_scale(&mut self, scale: f64) {
        let now = self.now_ms();
        *self = Self::starting_at(now, scale);
    }

    pub fn advance(&mut self, ms: i64) {
        let now = self.now_ms();
        *self = Self::starting_at(now + ms, self.scale);
    }

    pub fn set(&mut self, at_ms: i64) {
        *self = Self::starting_at(at_ms, self.scale);
    }

    /// Real time until virtual `at_ms` arrives (None if frozen or in the past).
    pub fn real_delay_until(&self, at_ms: i64) -> Option<std::time::Duration> {
        let ahead = at_ms - self.now_ms();
        if ahead <= 0 {
            return Some(std::time::Duration::ZERO);
        }
        if self.scale <= 0.0 {
            return None;
        }
        Some(std::time::Duration::from_millis((ahead as f64 / self.scale).ceil() as u64))
    }
}

pub fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
