tag-example = Exemple
