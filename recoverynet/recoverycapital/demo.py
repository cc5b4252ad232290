def load_recoverycapital_demo(demo):
    raise NotImplementedError
