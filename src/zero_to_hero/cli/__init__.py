"""``zero-to-hero``: train the course's models on your own word list, and sample from them.

``zero-to-hero train`` reads one word per line (names, cities, Pokémon, words of another
language), builds the vocabulary from the file, trains one of seven models (bigram, MLP, RNN,
GRU, bag of words, WaveNet, transformer) and keeps the best checkpoint; ``zero-to-hero sample``
writes new words. The same ``python -m zero_to_hero`` runs data-parallel under ``torchrun``.
"""
