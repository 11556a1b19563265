"""What the bot says. Replies are HTML: anything interpolated must be escaped."""

WELCOME = (
    "Bonjour ! Je suis <b>essbot</b>, le bot des rencontres de l'économie sociale et "
    "solidaire (ESS). Je vous aiderai à trouver les événements près de chez vous et à "
    "ne pas les manquer."
)

ERROR = "Désolé, quelque chose s'est mal passé. Réessayez dans un instant."
