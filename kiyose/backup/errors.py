"""The one error a backup or a restore stops with: a Japanese line for staff, an English one for the operator."""

UNCHANGED = ("データベースとファイルは何も変更していません。", "Nothing was changed.")


class BackupError(Exception):
    def __init__(self, ja: str, en: str, *, unchanged: bool = True):
        self.ja = ja + (UNCHANGED[0] if unchanged else "")
        self.en = en + (" " + UNCHANGED[1] if unchanged else "")
        super().__init__(f"{self.ja}\n{self.en}")
