DROP TABLE grade_files;
