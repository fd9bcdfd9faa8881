//! Words shown to people in problem documents, in each working language.

use aula_core::{ErrorCode, FieldCode, Locale};

/// Title of a problem, by its machine code.
pub fn title(code: ErrorCode, locale: Locale) -> &'static str {
    let [es, en, pt, fr] = match code {
        ErrorCode::ValidationFailed => [
            "Hay datos que corregir",
            "Some fields need attention",
            "Há campos a corrigir",
            "Certains champs sont à corriger",
        ],
        ErrorCode::MalformedJson => [
            "El cuerpo no es JSON válido",
            "The body is not valid JSON",
            "O corpo não é JSON válido",
            "Le corps n'est pas un JSON valide",
        ],
        ErrorCode::MalformedBody => [
            "El cuerpo de la solicitud está dañado o incompleto",
            "The request body is malformed or incomplete",
            "O corpo da requisição está malformado ou incompleto",
            "Le corps de la requête est mal formé ou incomplet",
        ],
        ErrorCode::InvalidBody => [
            "El cuerpo tiene campos de tipo incorrecto",
            "The body has fields of the wrong type",
            "O corpo tem campos do tipo errado",
            "Le corps contient des champs du mauvais type",
        ],
        ErrorCode::PayloadTooLarge => [
            "El cuerpo es demasiado grande",
            "The body is too large",
            "O corpo é grande demais",
            "Le corps est trop volumineux",
        ],
        ErrorCode::UnsupportedMediaType => [
            "Tipo de contenido no admitido",
            "Unsupported content type",
            "Tipo de conteúdo não suportado",
            "Type de contenu non pris en charge",
        ],
        ErrorCode::InvalidQuery => [
            "Parámetros de consulta no válidos",
            "Invalid query parameters",
            "Parâmetros de consulta inválidos",
            "Paramètres de requête invalides",
        ],
        ErrorCode::InvalidPath => [
            "Dirección no válida",
            "Invalid address",
            "Endereço inválido",
            "Adresse invalide",
        ],
        ErrorCode::ControlCharacter => [
            "La dirección o la consulta contienen caracteres de control",
            "The path or the query holds control characters",
            "O caminho ou a consulta contém caracteres de controle",
            "Le chemin ou la requête contient des caractères de contrôle",
        ],
        ErrorCode::NotFound => [
            "No encontrado",
            "Not found",
            "Não encontrado",
            "Introuvable",
        ],
        ErrorCode::MethodNotAllowed => [
            "Método no permitido",
            "Method not allowed",
            "Método não permitido",
            "Méthode non autorisée",
        ],
        ErrorCode::Unauthenticated => [
            "Debe iniciar sesión",
            "You need to sign in",
            "É preciso entrar",
            "Vous devez vous connecter",
        ],
        ErrorCode::InvalidToken => [
            "La sesión no es válida o expiró",
            "The session is invalid or has expired",
            "A sessão é inválida ou expirou",
            "La session est invalide ou a expiré",
        ],
        ErrorCode::InvalidCredentials => [
            "Correo o contraseña incorrectos",
            "Wrong email or password",
            "E-mail ou senha incorretos",
            "Adresse e-mail ou mot de passe incorrect",
        ],
        ErrorCode::EmailNotVerified => [
            "Confirme primero su correo electrónico",
            "Please confirm your email address first",
            "Confirme primeiro o seu e-mail",
            "Veuillez d'abord confirmer votre adresse e-mail",
        ],
        ErrorCode::AccountDisabled => [
            "La cuenta está desactivada",
            "The account is disabled",
            "A conta está desativada",
            "Le compte est désactivé",
        ],
        ErrorCode::InvalidRefreshToken => [
            "La sesión expiró; inicie sesión de nuevo",
            "The session has expired; please sign in again",
            "A sessão expirou; entre novamente",
            "La session a expiré ; reconnectez-vous",
        ],
        ErrorCode::RefreshTokenReused => [
            "Por seguridad se cerró la sesión",
            "For your security the session was closed",
            "Por segurança a sessão foi encerrada",
            "Par sécurité, la session a été fermée",
        ],
        ErrorCode::TokenInvalid => [
            "El enlace no es válido, expiró o ya se usó",
            "The link is invalid, expired or already used",
            "O link é inválido, expirou ou já foi usado",
            "Le lien est invalide, expiré ou déjà utilisé",
        ],
        ErrorCode::RateLimited => [
            "Demasiados intentos; espere un momento",
            "Too many attempts; please wait",
            "Tentativas demais; aguarde um momento",
            "Trop de tentatives ; patientez un instant",
        ],
        ErrorCode::UserNotFound => [
            "Usuario no encontrado",
            "User not found",
            "Usuário não encontrado",
            "Utilisateur introuvable",
        ],
        ErrorCode::InstitutionNotFound => [
            "Institución no encontrada",
            "Institution not found",
            "Instituição não encontrada",
            "Institution introuvable",
        ],
        ErrorCode::Forbidden => [
            "No tiene permiso para esta acción",
            "You are not allowed to do this",
            "Você não tem permissão para esta ação",
            "Vous n'êtes pas autorisé à faire cela",
        ],
        ErrorCode::SelfLockout => [
            "No puede quitarse su propio acceso de administración",
            "You cannot remove your own administrator access",
            "Você não pode remover o seu próprio acesso de administração",
            "Vous ne pouvez pas retirer votre propre accès administrateur",
        ],
        ErrorCode::CourseNotFound => [
            "Curso no encontrado",
            "Course not found",
            "Curso não encontrado",
            "Cours introuvable",
        ],
        ErrorCode::OfferingNotFound => [
            "Edición del curso no encontrada",
            "Course offering not found",
            "Edição do curso não encontrada",
            "Session de cours introuvable",
        ],
        ErrorCode::ModuleNotFound => [
            "Módulo no encontrado",
            "Module not found",
            "Módulo não encontrado",
            "Module introuvable",
        ],
        ErrorCode::LessonNotFound => [
            "Lección no encontrada",
            "Lesson not found",
            "Lição não encontrada",
            "Leçon introuvable",
        ],
        ErrorCode::AssignmentNotFound => [
            "Actividad no encontrada",
            "Assignment not found",
            "Atividade não encontrada",
            "Devoir introuvable",
        ],
        ErrorCode::SubmissionNotFound => [
            "Entrega no encontrada",
            "Submission not found",
            "Entrega não encontrada",
            "Remise introuvable",
        ],
        ErrorCode::SubmissionClosed => [
            "La actividad no recibe entregas en este momento",
            "The assignment is not taking submissions now",
            "A atividade não está recebendo entregas agora",
            "Le devoir n'accepte pas de remise pour le moment",
        ],
        ErrorCode::DuplicateSubmission => [
            "Esta entrega es igual a la anterior",
            "This submission is the same as the previous one",
            "Esta entrega é igual à anterior",
            "Cette remise est identique à la précédente",
        ],
        ErrorCode::RubricInUse => [
            "La calificación ya comenzó: la rúbrica y el puntaje máximo no pueden cambiar",
            "Grading has begun: the rubric and the maximum score can no longer change",
            "A correção já começou: a rubrica e a pontuação máxima não podem mudar",
            "La notation a commencé : la grille et la note maximale ne peuvent plus changer",
        ],
        ErrorCode::AssignmentInUse => [
            "La actividad ya tiene entregas o calificaciones y no puede eliminarse",
            "The assignment has submissions or grades and cannot be deleted",
            "A atividade já tem entregas ou notas e não pode ser excluída",
            "Le devoir a déjà des remises ou des notes et ne peut pas être supprimé",
        ],
        ErrorCode::QuizInUse => [
            "El cuestionario ya tiene intentos y no puede eliminarse",
            "The quiz has attempts and cannot be deleted",
            "O questionário já tem tentativas e não pode ser excluído",
            "Le questionnaire a déjà des tentatives et ne peut pas être supprimé",
        ],
        ErrorCode::QuestionNotFound => [
            "Pregunta no encontrada",
            "Question not found",
            "Pergunta não encontrada",
            "Question introuvable",
        ],
        ErrorCode::QuizNotFound => [
            "Cuestionario no encontrado",
            "Quiz not found",
            "Questionário não encontrado",
            "Questionnaire introuvable",
        ],
        ErrorCode::AttemptNotFound => [
            "Intento no encontrado",
            "Attempt not found",
            "Tentativa não encontrada",
            "Tentative introuvable",
        ],
        ErrorCode::QuizClosed => [
            "El cuestionario no está abierto",
            "The quiz is not open",
            "O questionário não está aberto",
            "Le questionnaire n'est pas ouvert",
        ],
        ErrorCode::NoAttemptsLeft => [
            "Ya usó todos los intentos permitidos",
            "Every attempt allowed has been used",
            "Todas as tentativas permitidas já foram usadas",
            "Toutes les tentatives permises ont été utilisées",
        ],
        ErrorCode::AttemptClosed => [
            "Se acabó el tiempo de este intento: no se aceptan más respuestas",
            "This attempt's time is up: no more answers are taken",
            "O tempo desta tentativa acabou: não são aceitas mais respostas",
            "Le temps de cette tentative est écoulé : plus aucune réponse n'est acceptée",
        ],
        ErrorCode::CertificateNotFound => [
            "Ningún certificado tiene este código",
            "No certificate has this code",
            "Nenhum certificado tem este código",
            "Aucun certificat ne porte ce code",
        ],
        ErrorCode::DocumentNotRecognised => [
            "Este PDF no es un certificado emitido por el CIESS (o fue modificado)",
            "This PDF is not a certificate issued by the CIESS (or it was altered)",
            "Este PDF não é um certificado emitido pelo CIESS (ou foi alterado)",
            "Ce PDF n'est pas un certificat délivré par le CIESS (ou il a été modifié)",
        ],
        ErrorCode::BadgeInvalid => [
            "Esta insignia no lleva una firma válida del CIESS o fue modificada",
            "This badge does not carry a valid CIESS signature, or it was altered",
            "Este selo não tem uma assinatura válida do CIESS ou foi alterado",
            "Ce badge ne porte pas de signature valide du CIESS ou il a été modifié",
        ],
        ErrorCode::SignatoryNotFound => [
            "Firmante no encontrado",
            "Signatory not found",
            "Signatário não encontrado",
            "Signataire introuvable",
        ],
        ErrorCode::NotEligible => [
            "No cumple los requisitos del certificado; indique un motivo para emitirlo de todos modos",
            "The requirements for this certificate are not met; give a reason to issue it anyway",
            "Os requisitos do certificado não foram cumpridos; indique um motivo para emiti-lo mesmo assim",
            "Les conditions du certificat ne sont pas remplies ; indiquez un motif pour le délivrer quand même",
        ],
        ErrorCode::CertificateStatusConflict => [
            "Este cambio no se aplica al certificado en su estado actual",
            "This change does not apply to the certificate as it stands",
            "Esta alteração não se aplica ao certificado no estado atual",
            "Ce changement ne s'applique pas au certificat dans son état actuel",
        ],
        ErrorCode::CertificatePending => [
            "El certificado se está preparando; vuelva a intentarlo en unos instantes",
            "The certificate is being prepared; try again in a moment",
            "O certificado está sendo preparado; tente novamente em instantes",
            "Le certificat est en cours de préparation ; réessayez dans un instant",
        ],
        ErrorCode::CalendarFeedNotFound => [
            "Calendario no encontrado",
            "Calendar not found",
            "Calendário não encontrado",
            "Calendrier introuvable",
        ],
        ErrorCode::SessionNotFound => [
            "Sesión de clase no encontrada",
            "Class session not found",
            "Sessão de aula não encontrada",
            "Séance introuvable",
        ],
        ErrorCode::TopicNotFound => [
            "Área temática no encontrada",
            "Topic not found",
            "Área temática não encontrada",
            "Thème introuvable",
        ],
        ErrorCode::FileNotFound => [
            "La lección no tiene documento",
            "The lesson has no document",
            "A lição não tem documento",
            "La leçon n'a pas de document",
        ],
        ErrorCode::NotEnrolled => [
            "El contenido es solo para participantes inscritos",
            "This content is for enrolled participants only",
            "O conteúdo é apenas para participantes inscritos",
            "Ce contenu est réservé aux participants inscrits",
        ],
        ErrorCode::InvalidTransition => [
            "Ese cambio no es posible en el estado actual",
            "That change is not possible in the current state",
            "Essa mudança não é possível no estado atual",
            "Ce changement n'est pas possible dans l'état actuel",
        ],
        ErrorCode::CourseNotReady => [
            "Al curso le falta algo para publicarse",
            "The course is not ready to be published",
            "Falta algo para o curso ser publicado",
            "Il manque quelque chose pour publier le cours",
        ],
        ErrorCode::EnrolmentNotFound => [
            "Inscripción no encontrada",
            "Enrolment not found",
            "Inscrição não encontrada",
            "Inscription introuvable",
        ],
        ErrorCode::DocumentNotFound => [
            "El documento no se ha subido",
            "The document has not been uploaded",
            "O documento não foi enviado",
            "Le document n'a pas été déposé",
        ],
        ErrorCode::AlreadyEnrolled => [
            "Ya tiene una solicitud o un lugar en esta edición",
            "You already have an application or a seat in this offering",
            "Você já tem uma candidatura ou uma vaga nesta edição",
            "Vous avez déjà une candidature ou une place dans cette session",
        ],
        ErrorCode::EnrolmentClosed => [
            "El periodo de inscripción está cerrado",
            "The enrolment period is closed",
            "O período de inscrição está encerrado",
            "La période d'inscription est close",
        ],
        ErrorCode::InstitutionRequired => [
            "Esta edición requiere el aval de su institución y su cuenta no tiene institución",
            "This offering needs your institution's endorsement and your account has no institution",
            "Esta edição exige o aval da sua instituição e sua conta não tem instituição",
            "Cette session exige l'aval de votre institution et votre compte n'en a pas",
        ],
        ErrorCode::DocumentsMissing => [
            "Faltan documentos de la solicitud",
            "The application still lacks documents",
            "Faltam documentos da candidatura",
            "Il manque des documents à la candidature",
        ],
        ErrorCode::PaymentOutstanding => [
            "El pago debe registrarse antes de confirmar el lugar",
            "The payment must be recorded before the seat is confirmed",
            "O pagamento deve ser registrado antes de confirmar a vaga",
            "Le paiement doit être enregistré avant de confirmer la place",
        ],
        ErrorCode::NothingToPay => [
            "Esta inscripción es gratuita: no hay pago que registrar",
            "This enrolment is free: there is no payment to record",
            "Esta inscrição é gratuita: não há pagamento a registrar",
            "Cette inscription est gratuite : il n'y a aucun paiement à enregistrer",
        ],
        ErrorCode::InvalidCsv => [
            "No se puede leer el archivo CSV",
            "The CSV file cannot be read",
            "Não é possível ler o arquivo CSV",
            "Le fichier CSV est illisible",
        ],
        ErrorCode::OfferingInUse => [
            "Hay personas inscritas en esta edición",
            "People hold seats in this offering",
            "Há pessoas inscritas nesta edição",
            "Des personnes sont inscrites à cette session",
        ],
        ErrorCode::FileTooLarge => [
            "El archivo es demasiado grande",
            "The file is too large",
            "O arquivo é grande demais",
            "Le fichier est trop volumineux",
        ],
        ErrorCode::FileTypeNotAllowed => [
            "Tipo de archivo no admitido (PDF, imágenes, documentos de oficina)",
            "File type not accepted (PDF, images, office documents)",
            "Tipo de arquivo não aceito (PDF, imagens, documentos de escritório)",
            "Type de fichier non accepté (PDF, images, documents bureautiques)",
        ],
        ErrorCode::ServiceUnavailable => [
            "Servicio no disponible",
            "Service unavailable",
            "Serviço indisponível",
            "Service indisponible",
        ],
        ErrorCode::InternalError => [
            "Error interno del servidor",
            "Internal server error",
            "Erro interno do servidor",
            "Erreur interne du serveur",
        ],
    };
    pick(locale, es, en, pt, fr)
}

/// Message for one invalid field, by field and code.
pub fn field_message(field: &str, code: FieldCode, locale: Locale) -> &'static str {
    let [es, en, pt, fr] = match (field, code) {
        ("publication.offerings", FieldCode::Required) => [
            "Agregue al menos una edición",
            "Add at least one edition",
            "Adicione pelo menos uma edição",
            "Ajoutez au moins une session",
        ],
        ("publication.summary", FieldCode::Required) => [
            "Escriba el resumen en el idioma principal del curso",
            "Write the summary in the course's primary language",
            "Escreva o resumo no idioma principal do curso",
            "Rédigez le résumé dans la langue principale du cours",
        ],
        ("publication.description", FieldCode::Required) => [
            "Escriba la descripción en el idioma principal del curso",
            "Write the description in the course's primary language",
            "Escreva a descrição no idioma principal do curso",
            "Rédigez la description dans la langue principale du cours",
        ],
        ("password" | "new_password", FieldCode::TooShort) => [
            "Debe tener al menos 10 caracteres",
            "Must be at least 10 characters long",
            "Deve ter pelo menos 10 caracteres",
            "Doit contenir au moins 10 caractères",
        ],
        (_, FieldCode::Blank) => [
            "No puede estar formada solo por espacios",
            "Must not be only spaces",
            "Não pode ser formada só por espaços",
            "Ne doit pas contenir que des espaces",
        ],
        (_, FieldCode::TooPersonal) => [
            "No puede estar formada por su nombre, su correo o el nombre de este sitio",
            "Must not be made of your name, your email address or the name of this site",
            "Não pode ser formada pelo seu nome, seu e-mail ou o nome deste site",
            "Ne doit pas être composé de votre nom, de votre adresse e-mail ou du nom de ce site",
        ],
        (_, FieldCode::TooCommon) => [
            "Es una contraseña demasiado común",
            "This password is too common",
            "Esta senha é comum demais",
            "Ce mot de passe est trop courant",
        ],
        ("email", FieldCode::Taken) => [
            "Ya existe una cuenta con este correo",
            "An account with this email already exists",
            "Já existe uma conta com este e-mail",
            "Un compte existe déjà avec cette adresse",
        ],
        ("acronym", FieldCode::Taken) => [
            "Ya existe una institución con esta sigla",
            "An institution with this acronym already exists",
            "Já existe uma instituição com esta sigla",
            "Une institution porte déjà ce sigle",
        ],
        (_, FieldCode::CodeTaken) => [
            "Ya existe un curso con este código",
            "A course with this code already exists",
            "Já existe um curso com este código",
            "Un cours porte déjà ce code",
        ],
        (_, FieldCode::InvalidCode) => [
            "Use de 2 a 5 letras, un guion y de 2 a 4 cifras (p. ej. PEN-201)",
            "Use 2 to 5 letters, a dash and 2 to 4 digits (e.g. PEN-201)",
            "Use de 2 a 5 letras, um hífen e de 2 a 4 dígitos (ex.: PEN-201)",
            "2 à 5 lettres, un tiret et 2 à 4 chiffres (ex. PEN-201)",
        ],
        (_, FieldCode::NotTranslated) => [
            "Agregue primero el texto del curso en ese idioma",
            "Add the course text in that language first",
            "Adicione primeiro o texto do curso nesse idioma",
            "Ajoutez d'abord le texte du cours dans cette langue",
        ],
        (_, FieldCode::Immutable) => [
            "No se puede cambiar",
            "Cannot be changed",
            "Não pode ser alterado",
            "Ne peut pas être modifié",
        ],
        (_, FieldCode::MustBePositive) => [
            "Debe ser mayor que cero",
            "Must be greater than zero",
            "Deve ser maior que zero",
            "Doit être supérieur à zéro",
        ],
        (_, FieldCode::MustNotBeNegative) => [
            "No puede ser negativo",
            "Cannot be negative",
            "Não pode ser negativo",
            "Ne peut pas être négatif",
        ],
        (_, FieldCode::OutOfRange) => [
            "Debe estar entre 0 y 100",
            "Must be between 0 and 100",
            "Deve estar entre 0 e 100",
            "Doit être entre 0 et 100",
        ],
        (_, FieldCode::NotInstructor) => [
            "Solo se admiten personas con el rol de docente",
            "Only people with the instructor role are accepted",
            "Apenas pessoas com o papel de docente são aceitas",
            "Seules les personnes ayant le rôle de formateur sont acceptées",
        ],
        (_, FieldCode::CannotRemoveSelf) => [
            "No puede quitarse a sí mismo de los docentes",
            "You cannot remove yourself from the instructors",
            "Você não pode se remover dos docentes",
            "Vous ne pouvez pas vous retirer des formateurs",
        ],
        (_, FieldCode::InvalidTimeZone) => [
            "Zona horaria IANA desconocida (p. ej. America/Mexico_City)",
            "Unknown IANA time zone (e.g. America/Mexico_City)",
            "Fuso horário IANA desconhecido (ex.: America/Sao_Paulo)",
            "Fuseau horaire IANA inconnu (ex. America/Port-au-Prince)",
        ],
        (_, FieldCode::InvalidCurrency) => [
            "Código de moneda ISO 4217 no admitido",
            "ISO 4217 currency code not accepted",
            "Código de moeda ISO 4217 não aceito",
            "Code de devise ISO 4217 non accepté",
        ],
        (_, FieldCode::InvalidUrl) => [
            "Debe ser una dirección http:// o https://",
            "Must be an http:// or https:// address",
            "Deve ser um endereço http:// ou https://",
            "Doit être une adresse http:// ou https://",
        ],
        (_, FieldCode::HttpsRequired) => [
            "Debe ser una dirección https://",
            "Must be an https:// address",
            "Deve ser um endereço https://",
            "Doit être une adresse https://",
        ],
        (_, FieldCode::BelowSeatsTaken) => [
            "Es menor que las plazas ya ocupadas",
            "Is below the seats already taken",
            "É menor que as vagas já ocupadas",
            "Est inférieur aux places déjà prises",
        ],
        (_, FieldCode::BeforeStart) => [
            "Debe ser posterior al inicio",
            "Must be after the start",
            "Deve ser posterior ao início",
            "Doit être après le début",
        ],
        (_, FieldCode::BeforeOpening) => [
            "Debe ser posterior a la apertura",
            "Must be after the opening",
            "Deve ser posterior à abertura",
            "Doit être après l'ouverture",
        ],
        (_, FieldCode::NotAPermutation) => [
            "Debe incluir cada elemento exactamente una vez",
            "Must list every item exactly once",
            "Deve incluir cada item exatamente uma vez",
            "Doit contenir chaque élément une seule fois",
        ],
        (_, FieldCode::Required) => [
            "Este campo es obligatorio",
            "This field is required",
            "Este campo é obrigatório",
            "Ce champ est obligatoire",
        ],
        (_, FieldCode::TooShort) => [
            "Es demasiado corto",
            "Too short",
            "Curto demais",
            "Trop court",
        ],
        (_, FieldCode::TooLong) => [
            "Es demasiado largo",
            "Too long",
            "Longo demais",
            "Trop long",
        ],
        (_, FieldCode::InvalidEmail) => [
            "No es una dirección de correo válida",
            "Not a valid email address",
            "Não é um e-mail válido",
            "Adresse e-mail invalide",
        ],
        (_, FieldCode::InvalidChoice) => [
            "Valor no admitido",
            "Not one of the allowed values",
            "Valor não permitido",
            "Valeur non autorisée",
        ],
        (_, FieldCode::InvalidCountry) => [
            "Código de país ISO 3166 desconocido",
            "Unknown ISO 3166 country code",
            "Código de país ISO 3166 desconhecido",
            "Code pays ISO 3166 inconnu",
        ],
        (_, FieldCode::NotFound) => ["No existe", "Does not exist", "Não existe", "N'existe pas"],
        (_, FieldCode::NotOnRoster) => [
            "No tiene lugar en esta edición",
            "Does not hold a seat in this offering",
            "Não tem vaga nesta edição",
            "N'a pas de place dans cette session",
        ],
        (_, FieldCode::DuplicateInFile) => [
            "Repetido en el archivo",
            "Repeated in the file",
            "Repetido no arquivo",
            "Répété dans le fichier",
        ],
        (_, FieldCode::TooManyRows) => [
            "El archivo tiene más de 5000 filas",
            "The file has more than 5,000 rows",
            "O arquivo tem mais de 5.000 linhas",
            "Le fichier dépasse 5 000 lignes",
        ],
        (_, FieldCode::Empty) => [
            "El archivo no tiene filas",
            "The file has no rows",
            "O arquivo não tem linhas",
            "Le fichier ne contient aucune ligne",
        ],
        (_, FieldCode::TooMany) => [
            "Demasiados elementos",
            "Too many items",
            "Itens demais",
            "Trop d'éléments",
        ],
        (_, FieldCode::ExceedsTotal) => [
            "Los pesos de la edición sumarían más de 100",
            "The offering's weights would add up to more than 100",
            "Os pesos da edição somariam mais de 100",
            "Les pondérations de la session dépasseraient 100",
        ],
        (_, FieldCode::TotalMismatch) => [
            "El mejor nivel de cada criterio debe sumar el puntaje máximo",
            "The best level of every criterion must add up to the maximum score",
            "O melhor nível de cada critério deve somar a pontuação máxima",
            "Le meilleur niveau de chaque critère doit totaliser la note maximale",
        ],
        (_, FieldCode::WrongPassword) => [
            "La contraseña actual no es correcta",
            "The current password is not correct",
            "A senha atual não está correta",
            "Le mot de passe actuel est incorrect",
        ],
        (_, FieldCode::Taken) => [
            "Ya está en uso",
            "Already in use",
            "Já está em uso",
            "Déjà utilisé",
        ],
        (_, FieldCode::WrongType) => [
            "Tipo de dato incorrecto",
            "Wrong type of value",
            "Tipo de valor incorreto",
            "Type de valeur incorrect",
        ],
        (_, FieldCode::ControlCharacter) => [
            "Contiene caracteres de control no permitidos",
            "Holds control characters that are not allowed",
            "Contém caracteres de controle não permitidos",
            "Contient des caractères de contrôle non autorisés",
        ],
        (_, FieldCode::UnknownField) => [
            "Campo desconocido",
            "Unknown field",
            "Campo desconhecido",
            "Champ inconnu",
        ],
        (_, FieldCode::Invalid) => [
            "Valor no válido",
            "Invalid value",
            "Valor inválido",
            "Valeur invalide",
        ],
    };
    pick(locale, es, en, pt, fr)
}

fn pick(
    locale: Locale,
    es: &'static str,
    en: &'static str,
    pt: &'static str,
    fr: &'static str,
) -> &'static str {
    match locale {
        Locale::Es => es,
        Locale::En => en,
        Locale::Pt => pt,
        Locale::Fr => fr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code has words in every language, and the languages differ (a title left in
    /// Spanish in the English column would pass a "non-empty" check).
    #[test]
    fn every_code_has_words_in_every_language() {
        let en_es = |f: &dyn Fn(Locale) -> &'static str, what: &str| {
            for locale in Locale::ALL {
                assert!(
                    !f(locale).trim().is_empty(),
                    "{what} has no {locale:?} text"
                );
            }
            assert_ne!(f(Locale::Es), f(Locale::En), "{what} is not translated");
        };
        for code in ErrorCode::ALL {
            en_es(&|l| title(*code, l), code.as_str());
        }
        for code in FieldCode::ALL {
            en_es(&|l| field_message("any", *code, l), code.as_str());
        }
    }
}
