"""The words citizens agree to. A change of wording is a new version: the consent rows keep the version and
text shown, so what each person agreed to can always be told (個人情報保護法)."""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026.1"

PURPOSE_OF_USE = [
    _("地域で活動したい市民と、人手を必要としている分野・場所（困りごとスポット）をつなぐため。"),
    _("市役所の各課が地域活動の担い手を探す際に、市民協働課が登録者をご紹介するため。"),
    _(
        "SDGs人材育成越境学習プログラムの修了者の活動を支援し、その人数などを統計として公表するため（個人が特定される形では公表しません）。"
    ),
    _("登録内容の確認、更新のご案内、活動のご紹介のためにご連絡するため。"),
]

CONSENTS = {
    "retain": _(
        "入力した情報を、清瀬市地域振興部市民協働課が市民人材バンクの登録情報として保管し、上記の利用目的の範囲で"
        "利用することに同意します。"
    ),
    "share": _(
        "登録情報を、市民協働課が地域活動のご紹介のために清瀬市役所の関係課と共有することに同意します。"
    ),
    "partner": _(
        "マッチングの際に、氏名と連絡先を、困りごとスポットを掲載した連携団体（介護事業所、福祉施設、市民活動団体など）へ"
        "提供することに同意します。"
    ),
}
