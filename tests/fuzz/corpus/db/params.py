{'scheduler': 'GSN-EDF', 'duration': 30, "tasks": 12, 'util': 0.75,
 'release_master': None, 'cpus': [0, 1, 2, 3], 'nested': {'a': (1, 2,), 'b': True},
 'name': 'it\'s "quoted"\n', 'neg': -1.5e-3, 'big': 12345678901234567890}
