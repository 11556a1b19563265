"""Place names that are also everyday words.

France has communes called "Y", "Eu", "Mars", "Vers", "Port", "Mer" or "Tours", departments
called "Somme" or "Manche", and a region and a commune called "La Réunion". In running text such
a name counts as a place only with a locative cue ("à Tours", "dans la Somme"); see
`essbot.geo.resolve.find_places`. Entries are folded (lower case, no accents).
"""

from __future__ import annotations

_WORDS = """
y eu eus ay by us our his this many very still busy real target job iron island hours
cult cuts cry dry lee bay bar bars bury corn don die goes lay pray rely sure ham sand rye ore
organ pact peas prey mercy mercury novel lent lux gray germ err flee fry brain brains bus bust
cast clam simple singles staple tart totes sales baby ally bevy candor chilly essay fussy messy
punchy sassy magnet contest cutting hunting betting biding nice gap
mars avril
vers son sens sans contre entre aucun allons bu cours corps fille fins force four fours frais
grand long ligne mont monts plan place pont ponts port portes rue ville villes vue vieux maisons
marches nuits mere ris salles sus
mer bois faux tours tour la_tour le_port le_mont le_parc le_pas le_pin le_plan le_val
le_vert la_loge la_cote l_union le_roc le_puy les_ifs la_salle la_table la_chapelle la_montagne
la_force la_machine la_plaine la_reunion le_passage le_temple le_palais la_terrasse la_chambre
les_halles campagne champagne montagne quarante toussaint entre_deux la_garde la_barre
la_couronne le_bourg la_grange la_folie la_roche le_havre le_chemin le_quartier la_marche
les_places les_loges les_granges les_essarts les_salles la_petite_pierre la_pierre la_source
aire ange anse arches armes aube auge bains ballon barre bonne bonnet borne bouchon bouquet
bourg bras bulle caves celle centres cerise chapeau chaux choux cieux citerne combles conte
contes coudes courbes crans cures cuve dangers doux drap esse falaise faucon feux fleurie
folies fontes fosse forges gars glaire gorges graces grasse grenade gueux hommes houx isle
joyeuse joyeux jumeaux jure jury lance lasse lattes lime linge loue lue luxe lys maille
maillot mare marin marre maux merles monte mouches murs nages noyers oison pauvres peintre
pierres pince pleurs poil pommier prince pure rang rouet rouille sabres salins serres sos
suisse talon tasse tricot tulle vanne ver vire vitre vif vives
avion croix fontaine fontaines plaine roche rocher rouge riche vert vignes puits pin mouton
poisson piano salon seuil signes termes routes moyen parent monnaie moisson ondes orgueil
plats poses racines soupir trans vogue change couches courant charme charmes devise marques
maire messe mousse pelouse publier lutter louer trimer cesse sache soyons viens irai irais
aurons serez priez liez riez marions rions saurais lacs landes champs jardin moulins brie
cognac chablis cassis munster orange plaisir lourdes vienne creuse allier loire nord somme
manche cher lot orne aude marne indre doubs gers var tarn jura meuse eure centre sud ouest
est chateau reunion ecole
"""

# Multi-word names are written with underscores for spaces.
ORDINARY_WORDS: frozenset[str] = frozenset(word.replace("_", " ") for word in _WORDS.split())
