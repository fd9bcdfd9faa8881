fn main() {
    let mail = aula_mail::Mail::PasswordReset {
        full_name: "María José Ñúñez Gonçalves".into(),
        link: "https://x/y?a=1&b=2".into(),
    };
    let r = aula_mail::render(&mail, aula_core::Locale::Fr).unwrap();
    println!("[{}]\n-----\n{}-----\n{}-----", r.subject, r.text, r.html);
}
