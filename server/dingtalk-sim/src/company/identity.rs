//! Who a person is: pure functions of the person's index (1-based), so that
//! other simulators (the PM systems) can derive the same names, e-mails and
//! mobiles without sharing any state.

use super::rng::mix;

const SURNAMES: &str =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡";
const SURNAME_PINYIN: [&str; 40] = [
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "xu",
    "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "yu",
    "jiang", "cai",
];

const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉婷宇浩欣晨博文俊雪琳楠";
const GIVEN_PINYIN: [&str; 40] = [
    "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie",
    "juan", "tao", "ming", "chao", "xiu", "xia", "ping", "gang", "gui", "ying", "hua", "yu",
    "ping", "hong", "peng", "hui", "ting", "yu", "hao", "xin", "chen", "bo", "wen", "jun", "xue",
    "lin", "nan",
];

/// One name character and its pinyin.
type Part = (char, &'static str);

fn part(chars: &str, pinyin: &[&'static str], n: u64) -> Part {
    let i = (n % pinyin.len() as u64) as usize;
    (chars.chars().nth(i).unwrap_or('某'), pinyin[i])
}

/// The name parts of a person: surname and given name.
fn name_parts(index: usize) -> (Part, Vec<Part>) {
    let h = mix(index as u64 ^ 0x4E41_4D45);
    let surname = part(SURNAMES, &SURNAME_PINYIN, h);
    let given_len = if (h >> 8) % 10 < 6 { 2 } else { 1 };
    let given = (0..given_len)
        .map(|i| part(GIVEN, &GIVEN_PINYIN, h >> (16 + 12 * i)))
        .collect();
    (surname, given)
}

/// The DingTalk `userid`: `u0001`, `u0002`, …
pub fn person_userid(index: usize) -> String {
    format!("u{index:04}")
}

/// The index of a generated `userid` (inverse of [`person_userid`]).
pub fn person_index(userid: &str) -> Option<usize> {
    userid.strip_prefix('u')?.parse().ok()
}

/// A Chinese name (not unique: real companies have several 张伟).
pub fn person_name(index: usize) -> String {
    let (surname, given) = name_parts(index);
    let mut name = String::new();
    name.push(surname.0);
    for g in given {
        name.push(g.0);
    }
    name
}

/// The work e-mail: pinyin of the name plus the index, e.g. `zhangwei0007@corp.example`.
pub fn person_email(index: usize) -> String {
    let (surname, given) = name_parts(index);
    let mut local = surname.1.to_owned();
    for g in given {
        local.push_str(g.1);
    }
    format!("{local}{index:04}@corp.example")
}

/// A unique mainland mobile number starting with 138.
pub fn person_mobile(index: usize) -> String {
    // 7919 is prime to 10^8, so this is a bijection on 0..10^8.
    let n = (index as u64).wrapping_mul(7_919).wrapping_add(1_234_567) % 100_000_000;
    format!("138{n:08}")
}

/// The employee number, e.g. `HB00042`.
pub fn person_job_number(index: usize) -> String {
    format!("HB{index:05}")
}

/// A stable `unionid` (26 characters of `[A-Za-z0-9]`).
pub fn person_unionid(index: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(26);
    let mut h = mix(index as u64 ^ 0x0055_4E49_4F4E_4944);
    for i in 0..26 {
        if i % 10 == 0 {
            h = mix(h);
        }
        out.push(ALPHABET[(h % ALPHABET.len() as u64) as usize] as char);
        h /= ALPHABET.len() as u64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn identities_are_pure_and_unique_where_they_must_be() {
        assert_eq!(person_userid(7), "u0007");
        assert_eq!(person_index("u0007"), Some(7));
        assert_eq!(person_email(7), person_email(7));
        assert!(person_email(7).ends_with("0007@corp.example"));
        let mobiles: HashSet<_> = (1..=20_000).map(person_mobile).collect();
        assert_eq!(mobiles.len(), 20_000);
        let emails: HashSet<_> = (1..=20_000).map(person_email).collect();
        assert_eq!(emails.len(), 20_000);
        assert!(person_mobile(1).starts_with("138") && person_mobile(1).len() == 11);
        assert_eq!(person_unionid(3).len(), 26);
        let name = person_name(3);
        assert!((2..=3).contains(&name.chars().count()));
    }
}
