DROP TABLE session_translations;
DROP TABLE lesson_translations;
DROP TABLE module_translations;
