"""herald"""
