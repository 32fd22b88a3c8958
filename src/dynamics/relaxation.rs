//! docs/model.md §2.2: relaxation toward interest: R_ij = b_ij − a_ij, the pull of the pair's
//! conflicts of interest (open issues hold b down; deals raise it).

/// R = b − a.
#[inline]
pub fn relaxation(alignment: f64, interest: f64) -> f64 {
    interest - alignment
}

#[cfg(test)]
mod tests {
    #[test]
    fn pulls_toward_interest() {
        assert_eq!(super::relaxation(0.5, -0.5), -1.0);
        assert_eq!(super::relaxation(-0.2, 0.3), 0.5);
        assert_eq!(super::relaxation(0.4, 0.4), 0.0);
    }
}
