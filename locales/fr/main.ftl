# Chaînes de l’interface, en français.

## Le site et la langue
site-title = Corée, OTAN et Canada : partenariats de sécurité
site-description = Notes d’information sur les partenariats de sécurité de l’OTAN et du Canada avec la République de Corée.
language-name = Français
chooser-enter = Entrer sur le site en français
feed-title = Fil Atom
feed-author = Rédaction du dossier
organisation-name = Rédaction du dossier
logo-alt = Logo de la rédaction du dossier
og-locale = fr_CA

## Adresses des pages (segments d’URL)
url-tags = themes
url-timeline = chronologie
url-glossary = glossaire
url-search = recherche
url-page = page

## Navigation
skip-to-content = Aller au contenu
nav-label = Navigation principale
breadcrumbs-label = Vous êtes ici
nav-home = Accueil
nav-timeline = Chronologie
nav-tags = Thèmes
nav-glossary = Glossaire
switcher-label = Langue
switcher-untranslated = Ce sujet n’est pas encore traduit en français : lien vers l’accueil
footer-text = Les faits cités proviennent des documents indiqués sur chaque page.
footer-feed = Fil Atom
footer-languages = Choisir la langue
footer-menu-label = À propos de ce site
date-modified = Date de modification :

## Accueil
home-updated = À jour au { $date }
home-topics-heading = { $count ->
    [one] Le sujet
   *[other] Les { $count } sujets
}
home-summary-label = Sommaire

## Sujets
topic-published = Publié le
topic-updated = mis à jour le
topic-tags-label = Thèmes
topic-toc-heading = Sur cette page
topic-events-heading = Dates clés
topic-sources-heading = Sources
topic-related-heading = Sur les mêmes thèmes
reading-time = { $minutes ->
    [one] { $minutes } minute de lecture
   *[other] { $minutes } minutes de lecture
}
draft-badge = Brouillon
callout-note = Remarque
callout-tip = Conseil
callout-important = Important
callout-warning = Avertissement
callout-caution = Attention
new-topic-title = Nouveau sujet

## Thèmes
tags-title = Thèmes
tags-description = Les sujets du dossier, classés par thème.
tags-all = Tous les thèmes
tag-count = { $count ->
    [one] { $count } sujet
   *[other] { $count } sujets
}
tag-page-title = Thème : { $tag }
tag-page-description = { $count ->
    [one] Le sujet classé sous le thème « { $tag } ».
   *[other] Les { $count } sujets classés sous le thème « { $tag } ».
}

## Chronologie
timeline-title = Chronologie
timeline-description = Les événements datés que rapportent les documents sources, du plus récent au plus ancien ; chacun renvoie à son sujet. Les événements annoncés pour une date ultérieure sont signalés comme tels.
timeline-years-label = Événements par année
timeline-year-count = { $count ->
    [one] { $count } événement
   *[other] { $count } événements
}
timeline-count = { $count ->
    [one] { $count } événement.
   *[other] { $count } événements.
}
timeline-planned = Prévu
timeline-planned-heading = Événements prévus
timeline-planned-text = Annoncés pour une date postérieure au { $date }, date à laquelle le dossier est à jour : ils n’avaient pas encore eu lieu.

## Glossaire
glossary-title = Glossaire
glossary-description = Les sigles et abréviations employés dans le dossier, avec leur forme développée.

## Recherche
nav-search = Recherche
search-title = Recherche
search-description = Chercher dans les sujets du dossier, en français : titres, résumés, texte et thèmes.
search-label = Mots à chercher
search-submit = Chercher
search-hint = Les accents et les terminaisons ne comptent pas : « defense » trouve « défense », « coopérer » trouve « coopération ». Les flèches haut et bas parcourent les résultats.
search-loading = Chargement de l’index de recherche…
search-empty = Saisissez un ou plusieurs mots pour chercher dans les sujets.
search-none = Aucun sujet ne contient « { $query } ».
search-count = { $count ->
    [one] { $count } sujet contient « { $query } ».
   *[other] { $count } sujets contiennent « { $query } ».
}
search-more = Afficher plus de résultats
search-unavailable = La recherche nécessite JavaScript, qui est désactivé ou non pris en charge par ce navigateur. Les thèmes et la chronologie listent tous les sujets.
search-results-label = Résultats

## Page introuvable
not-found-title = Page introuvable
not-found-text = L’adresse demandée ne correspond à aucune page de ce site.
not-found-home = Retour à l’accueil en français
not-found-search = Chercher dans le site en français

## Dates
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
date-full = { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
date-month = { $month } { $year }
date-year = { $year }
date-range-days = { $first ->
    [1] 1er
   *[other] { $first }
}–{ $last } { $month } { $year }
date-range = { $start } – { $end }

## Pagination (pages d'accueil et de thème)
pagination-label = Pages
pagination-prev = Page précédente
pagination-next = Page suivante
pagination-status = Page { $number } sur { $count }
