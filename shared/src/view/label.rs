//! Labels with placeholders (`显示 {{ shown }} / {{ total }} 个案件`), as the
//! locale files write them.

/// Replaces each `{{ name }}` of `template` with its value; a placeholder
/// without a value stays as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        let name = rest[start + 2..start + len].trim();
        out.push_str(&rest[..start]);
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_are_filled_by_name_and_unknown_ones_stay() {
        assert_eq!(fill("显示 {{ shown }} / {{ total }} 个案件", &[("shown", "3"), ("total", "30")]), "显示 3 / 30 个案件");
        assert_eq!(fill("{{ x }} and {{y}}", &[("y", "Y")]), "{{ x }} and Y");
        assert_eq!(fill("以 {{ name }}({{ role }})身份进入", &[("role", "调解员"), ("name", "张")]), "以 张(调解员)身份进入");
        assert_eq!(fill("no close {{ here", &[("here", "x")]), "no close {{ here");
        assert_eq!(fill("", &[]), "");
    }
}
